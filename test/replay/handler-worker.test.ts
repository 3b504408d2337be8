import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { InvokeOutcome } from '../../src/replay/engine-types.js';
import { HandlerWorker, NOT_STARTED } from '../../src/replay/handler-worker.js';
import type { StaticContext } from '../../src/replay/worker-protocol.js';
import { tempDir } from '../helpers/temp-dir.js';
import { flaggedRecords } from './input-fixture.js';

const HANDLER = fileURLToPath(new URL('../fixtures/handlers/queued.mjs', import.meta.url));
const RUNNER = fileURLToPath(new URL('../../dist/replay/worker-main.js', import.meta.url));
const CONTEXT: StaticContext = {
  functionName: 'f', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f',
  memoryLimitInMB: '128', logGroupName: '/aws/lambda/f', logStreamName: 'stream',
};

let workers: HandlerWorker[] = [];
let log = '';

beforeAll(() => {
  if (!existsSync(RUNNER)) throw new Error('dist/ is missing: run `npm run build` before these tests');
});

afterEach(async () => {
  await Promise.all(workers.map((worker) => worker.dispose()));
  workers = [];
});

async function start(timeoutMs = 5000): Promise<HandlerWorker> {
  log = path.join(tempDir(), 'calls.ndjson');
  const worker = await HandlerWorker.start({
    runnerPath: RUNNER, modulePath: HANDLER, display: './queued.mjs', env: { ...process.env, HANDLER_LOG: log },
    cwd: path.dirname(HANDLER), timeoutMs, onOutput: () => {},
  });
  workers.push(worker);
  return worker;
}

function send(worker: HandlerWorker, requestId: string, flag = ''): Promise<InvokeOutcome | typeof NOT_STARTED> {
  return worker.invoke(requestId, JSON.stringify({ Records: flaggedRecords(1, flag ? { 1: flag } : {}) }), CONTEXT);
}

interface Ran { pid: number; start: number; end: number; remaining: number }

function ran(outcome: InvokeOutcome | typeof NOT_STARTED): Ran {
  if (outcome === NOT_STARTED || !outcome.ok) throw new Error(`expected a successful invocation, got ${String(outcome === NOT_STARTED ? 'NOT_STARTED' : JSON.stringify(outcome))}`);
  return outcome.response as Ran;
}

const begun = (): string[] => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { requestId: string }).requestId) : []);

describe('a handler worker with one batch waiting behind the running one', () => {
  it('runs the waiting batch in the same process once the running one has ended, never both at once', async () => {
    const worker = await start();
    const first = send(worker, 'a', 'wait-300');
    expect(worker.canQueue).toBe(true);
    const second = send(worker, 'b');
    expect(worker.canQueue).toBe(false);
    const [a, b] = [ran(await first), ran(await second)];
    expect(b.pid).toBe(a.pid);
    expect(b.start).toBeGreaterThanOrEqual(a.end);
    expect(begun()).toEqual(['a', 'b']);
    expect(worker.canQueue).toBe(false); // idle: nothing running to wait behind
  });

  it('counts the waiting batch\'s timeout from its own start, not from when it was sent', async () => {
    const worker = await start(1000);
    const first = send(worker, 'a', 'wait-700');
    const second = send(worker, 'b', 'wait-700');
    const [a, b] = [ran(await first), ran(await second)];
    // Sent at once, the second ends about 1.4 s later: past its 1 s only if the clock ran while it waited.
    expect(b.end - a.start).toBeGreaterThan(1000);
    expect(b.remaining).toBeGreaterThan(900);
  });

  it('gives the waiting batch back unrun when the running one ends the process', async () => {
    const worker = await start();
    const first = send(worker, 'a', 'exit');
    const second = send(worker, 'b');
    const crashed = await first;
    expect(crashed).toMatchObject({ ok: false, crash: 'exit', error: { errorType: 'Runtime.ExitError' } });
    expect(await second).toBe(NOT_STARTED);
    expect(begun()).toEqual(['a']);
    expect(worker.alive).toBe(false);
  });

  it('gives the waiting batch back unrun when the running one times out', async () => {
    const worker = await start(300);
    const first = send(worker, 'a', 'wait-5000');
    const second = send(worker, 'b');
    expect(await first).toMatchObject({ ok: false, crash: 'timeout', error: { errorType: 'Sandbox.Timedout' } });
    expect(await second).toBe(NOT_STARTED);
    expect(begun()).toEqual(['a']);
  });
});
