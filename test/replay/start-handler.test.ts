import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { InvokeOutcome } from '../../src/replay/engine-types.js';
import { resolveHandlerSpec } from '../../src/replay/handler-spec.js';
import { startHandler, type StartedHandler } from '../../src/replay/start-handler.js';
import { UsageError } from '../../src/util/errors.js';
import { tempDir } from '../helpers/temp-dir.js';
import { flaggedRecords } from './input-fixture.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/handlers/', import.meta.url));
const RUNNER = fileURLToPath(new URL('../../dist/replay/worker-main.js', import.meta.url));

let started: StartedHandler[] = [];
let log = '';

beforeAll(() => {
  if (!existsSync(RUNNER)) throw new Error('dist/ is missing: run `npm run build` before these tests');
});

afterEach(async () => {
  await Promise.all(started.map((handler) => handler.close()));
  started = [];
});

async function start(handler: string, options: { exportName?: string; timeoutMs?: number; cwd?: string; output?: string[]; concurrency?: number; memoryMb?: number } = {}) {
  const dir = tempDir();
  log = path.join(dir, 'calls.ndjson');
  const spec = resolveHandlerSpec(handler, options.exportName, options.cwd ?? FIXTURES);
  const handle = await startHandler(spec, {
    runnerPath: RUNNER,
    env: { ...process.env, HANDLER_LOG: log },
    cwd: options.cwd ?? FIXTURES,
    timeoutMs: options.timeoutMs ?? 5000,
    concurrency: options.concurrency ?? 1,
    ...(options.memoryMb ? { memoryMb: options.memoryMb } : {}),
    onOutput: (line) => options.output?.push(line),
  });
  started.push(handle);
  return handle;
}

function invoke(handle: StartedHandler, flags: Record<number, string> = {}, count = 2): Promise<InvokeOutcome> {
  const event = { Records: flaggedRecords(count, flags) };
  return handle.pool.invoke({
    requestId: `req-${Math.random()}`, shardId: 's', streamArn: event.Records[0]!.eventSourceARN, event, payload: JSON.stringify(event),
  });
}

const calls = (): Array<Record<string, unknown>> =>
  existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line)) : [];

describe('handler forms', () => {
  it.each([
    ['./esm.mjs', undefined, 'esm'],
    ['./default-export.mjs', undefined, 'default'],
    ['./common.cjs', undefined, 'cjs'],
    ['./typed/handler.ts', undefined, 'ts'],
    ['lambda/index.handler', undefined, 'lambda-index'],
    ['lambda/index.other', undefined, 'lambda-other'],
    ['lambda/index.nested.deep', undefined, 'lambda-nested'],
    ['./lambda/index.js', 'other', 'lambda-other'],
  ])('%s (export %s) runs', async (handler, exportName, form) => {
    const handle = await start(handler, exportName ? { exportName } : {});
    const outcome = await invoke(handle);
    expect(outcome.ok).toBe(true);
    expect(calls().map((call) => call.form)).toEqual([form]);
  });

  it('gets the event exactly as sent and a Lambda-like context; module state survives between invocations', async () => {
    const output: string[] = [];
    const handle = await start('./esm.mjs', { output });
    await invoke(handle);
    await invoke(handle);
    const [first, second] = calls() as Array<{ invocations: number; pid: number; event: unknown; context: Record<string, unknown>; env: Record<string, string> }>;
    expect(second!.invocations).toBe(2);
    expect(second!.pid).toBe(first!.pid);
    expect(first!.event).toEqual({ Records: flaggedRecords(2) });
    expect(first!.context).toMatchObject({
      functionName: 'esm',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:esm',
      memoryLimitInMB: '1024',
      logGroupName: '/aws/lambda/esm',
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(first!.context.awsRequestId).toMatch(/^req-/);
    expect(first!.context.logStreamName).toMatch(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(first!.context.remaining).toBeGreaterThan(4000);
    expect(first!.context.remaining).toBeLessThanOrEqual(5000);
    expect(first!.env).toEqual({ name: 'esm', logStream: first!.context.logStreamName });
    expect(output).toEqual(['esm handler got 2 records', 'esm handler got 2 records']);
  });

  it('a TypeScript handler is compiled with the files it imports; import.meta.url names its own file', async () => {
    const handle = await start('./typed/handler.ts');
    await invoke(handle, {}, 3);
    expect(calls()[0]).toEqual({
      form: 'ts',
      summary: { count: 3, events: { INSERT: 3 } },
      label: 'typed',
      functionName: 'handler',
      url: new URL('../fixtures/handlers/typed/handler.ts', import.meta.url).href,
    });
  });

  it('a TypeScript handler can import packages from node_modules next to it', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'node_modules', 'shout'), { recursive: true });
    writeFileSync(path.join(dir, 'node_modules', 'shout', 'package.json'), '{"name":"shout","main":"index.js"}');
    writeFileSync(path.join(dir, 'node_modules', 'shout', 'index.js'), 'module.exports = (s) => s.toUpperCase() + "!";');
    writeFileSync(path.join(dir, 'handler.ts'),
      'import shout from "shout";\nexport const handler = async (e: { Records: unknown[] }): Promise<string> => shout(`got ${e.Records.length}`);\n');
    const handle = await start('./handler.ts', { cwd: dir });
    expect(await invoke(handle)).toEqual({ ok: true, response: 'GOT 2!' });
  });

  it('callback style: the response waits for the callback and an empty event loop', async () => {
    const handle = await start('./callback.cjs');
    const outcome = await invoke(handle);
    expect(outcome).toEqual({ ok: true, response: { batchItemFailures: [] } });
    // The timer the handler left after calling back ran before the response.
    expect(calls()).toEqual([{ form: 'callback', count: 2 }]);
    const failed = await invoke(handle, { 2: 'poison' });
    expect(failed).toMatchObject({ ok: false, error: { errorType: 'Error', errorMessage: expect.stringContaining('cannot handle') } });
  });

  it('a plain function that returns a value without calling back answers null, as in Lambda', async () => {
    const handle = await start('./sync-return.cjs');
    expect(await invoke(handle)).toEqual({ ok: true, response: null });
  });

  it('an async handler whose promise can never settle fails at once instead of hanging', async () => {
    const handle = await start('./stuck.mjs');
    const started = Date.now();
    expect(await invoke(handle)).toMatchObject({ ok: false, error: { errorType: 'Runtime.NodeJsExit' } });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('worker count', () => {
  it('quick handlers share one warm worker; slow ones get one per concurrent batch', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'timed.mjs'),
      'export const handler = async (e) => { await new Promise((r) => setTimeout(r, Number(process.env.DELAY_MS))); return process.pid; };\n');
    const pids = async (delayMs: number) => {
      process.env.DELAY_MS = String(delayMs);
      try {
        const handle = await start('./timed.mjs', { cwd: dir, concurrency: 4 });
        const first = await invoke(handle);
        const rest = await Promise.all([1, 2, 3, 4, 5, 6].map(() => invoke(handle)));
        return new Set([first, ...rest].map((outcome) => (outcome as { response: number }).response));
      } finally {
        delete process.env.DELAY_MS;
      }
    };
    expect((await pids(0)).size).toBe(1);
    expect((await pids(300)).size).toBeGreaterThan(1);
  });
});

describe('isolation', () => {
  it('--memory is the heap limit: a handler that passes it fails in one line, and a fresh process takes the next invocation', async () => {
    const output: string[] = [];
    const handle = await start('./memory-hog.mjs', { output, memoryMb: 128, timeoutMs: 30_000 });
    expect(await invoke(handle, { 1: 'hog' })).toEqual({
      ok: false,
      error: { errorType: 'Runtime.OutOfMemory', errorMessage: 'Runtime exited with error: out of memory (the handler\'s heap passed --memory 128 MB)' },
      crash: 'memory',
    });
    expect(await invoke(handle)).toEqual({ ok: true, response: {} });
    const [hog, next] = calls() as Array<{ memoryLimitInMB: string; env: string; pid: number }>;
    expect(hog).toMatchObject({ memoryLimitInMB: '128', env: '128' });
    expect(next!.pid).not.toBe(hog!.pid);
    // V8's report (GC trace, fatal line, native stack) is not the handler's output.
    expect(output).toEqual([]);
  }, 40_000);

  it('process.exit fails the invocation; the next one runs in a fresh process', async () => {
    const output: string[] = [];
    const handle = await start('./exit.mjs', { output });
    expect(await invoke(handle, { 1: 'exit' })).toEqual({
      ok: false,
      error: { errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited with error: exit status 3' },
      crash: 'exit',
    });
    expect(await invoke(handle)).toEqual({ ok: true, response: null });
    await new Promise((r) => setTimeout(r, 50));
    // Module state started over: this is the fresh process's first invocation.
    expect(output).toEqual([expect.stringMatching(/^invocation 1 in process \d+$/)]);
  });

  it('a worker that exits between invocations is replaced before the next one', async () => {
    const handle = await start('./late-exit.mjs');
    const first = await invoke(handle);
    await new Promise((r) => setTimeout(r, 200));
    const second = await invoke(handle);
    expect(first).toMatchObject({ ok: true, response: { pid: expect.any(Number) } });
    expect(second).toMatchObject({ ok: true, response: { pid: expect.any(Number) } });
    expect((second as { response: { pid: number } }).response.pid).not.toBe((first as { response: { pid: number } }).response.pid);
  });

  it('a handler running past the timeout is stopped; the next invocation gets a fresh process', async () => {
    const handle = await start('./hang.mjs', { timeoutMs: 500 });
    const began = Date.now();
    expect(await invoke(handle, { 1: 'hang' })).toEqual({
      ok: false,
      error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 0.50 seconds' },
      crash: 'timeout',
    });
    expect(Date.now() - began).toBeLessThan(3000);
    expect(await invoke(handle)).toEqual({ ok: true, response: null });
  });

  it('an uncaught exception fails the invocation with its error', async () => {
    const handle = await start('./uncaught.mjs');
    expect(await invoke(handle)).toMatchObject({
      ok: false, crash: 'uncaught', error: { errorType: 'RangeError', errorMessage: 'thrown from a timer' },
    });
  });

  it('an unhandled rejection fails the invocation as Lambda reports it', async () => {
    const handle = await start('./rejection.mjs');
    expect(await invoke(handle)).toMatchObject({
      ok: false,
      crash: 'rejection',
      error: { errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'Error: nobody catches this' },
    });
  });

  it('a thrown error is a function error with its type and message; the process stays warm', async () => {
    const handle = await start('./poison.mjs');
    const outcome = await invoke(handle, { 2: 'poison' });
    expect(outcome).toMatchObject({ ok: false, error: { errorType: 'TypeError', errorMessage: expect.stringMatching(/^poison record \d+$/) } });
    expect(outcome).not.toHaveProperty('crash');
  });
});

describe('load errors are usage errors naming the file and the problem', () => {
  const cases: Array<[string, string | undefined, RegExp]> = [
    ['./broken-syntax.mjs', undefined, /^handler \.\/broken-syntax\.mjs has a syntax error: line 2:\d+: Expected "}" but found ";"$/],
    ['./no-export.mjs', undefined, /^handler \.\/no-export\.mjs has no export "handler" and no default-exported function \(its function exports: other, process\)\. Name the export/],
    ['./no-export.mjs', 'missing', /^handler \.\/no-export\.mjs has no export "missing"/],
    ['./not-function.mjs', undefined, /^handler \.\/not-function\.mjs: export "handler" is a string, not a function\.$/],
    ['./throws-on-load.mjs', undefined, /^handler \.\/throws-on-load\.mjs threw while loading: Error: missing configuration TABLE_NAME$/],
  ];
  it.each(cases)('%s (export %s)', async (handler, exportName, message) => {
    const failure = await start(handler, exportName ? { exportName } : {}).then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(UsageError);
    expect((failure as Error).message).toMatch(message);
  });

  it('a TypeScript syntax error names the file, line and column', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'broken.ts'), 'export const handler = async (): Promise<number> => {\n  return 1 +;\n};\n');
    const failure = await start('./broken.ts', { cwd: dir }).then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(UsageError);
    expect((failure as Error).message).toMatch(/^handler \.\/broken\.ts does not compile: .*broken\.ts:2:\d+: Unexpected ";"$/);
  });

  it('a CommonJS syntax error names the line', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'broken.cjs'), 'exports.handler = async () => {\n  return {;\n};\n');
    const failure = await start('./broken.cjs', { cwd: dir }).then(() => undefined, (error: unknown) => error);
    expect((failure as Error).message).toMatch(/^handler \.\/broken\.cjs has a syntax error: SyntaxError: Unexpected token ';' at .*broken\.cjs:2$/);
  });
});
