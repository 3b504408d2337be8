import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { InvokeOutcome } from '../../src/replay/engine-types.js';
import { resolveHandlerSpec } from '../../src/replay/handler-spec.js';
import { startHandler, type StartedHandler } from '../../src/replay/start-handler.js';
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

async function start(concurrency: number): Promise<StartedHandler> {
  log = path.join(tempDir(), 'calls.ndjson');
  const handle = await startHandler(resolveHandlerSpec('./queued.mjs', undefined, FIXTURES), {
    runnerPath: RUNNER, env: { ...process.env, HANDLER_LOG: log }, cwd: FIXTURES, timeoutMs: 5000, concurrency, onOutput: () => {},
  });
  started.push(handle);
  return handle;
}

function invoke(handle: StartedHandler, requestId: string, flag = ''): Promise<InvokeOutcome> {
  const event = { Records: flaggedRecords(1, flag ? { 1: flag } : {}) };
  return handle.pool.invoke({ requestId, shardId: 's', streamArn: event.Records[0]!.eventSourceARN, event, payload: JSON.stringify(event) });
}

const pidOf = (outcome: InvokeOutcome): number => (outcome.ok ? (outcome.response as { pid: number }).pid : -1);
const begun = (): string[] => readFileSync(log, 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { requestId: string }).requestId);
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('the worker pool and a quick handler', () => {
  it('runs a batch of another lane in the busy worker, after the running one, instead of starting another process', async () => {
    const handle = await start(4);
    const warm = await invoke(handle, 'warm'); // a quick handler, once measured
    const first = invoke(handle, 'a', 'wait-200');
    await tick();
    const second = invoke(handle, 'b');
    const [a, b] = await Promise.all([first, second]);
    expect(pidOf(a)).toBe(pidOf(warm));
    expect(pidOf(b)).toBe(pidOf(warm));
    expect(begun()).toEqual(['warm', 'a', 'b']);
  });

  it('queues one batch behind the running one even when two lanes ask at the same moment', async () => {
    const handle = await start(1);
    await invoke(handle, 'warm');
    const first = invoke(handle, 'a', 'wait-200');
    await tick();
    // Both are handed the busy worker before either is sent: only one may wait in it.
    const outcomes = await Promise.all([first, invoke(handle, 'b'), invoke(handle, 'c')]);
    expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, true, true]);
    expect(begun()).toEqual(['warm', 'a', 'b', 'c']);
  });

  it('runs a batch that waited behind one that ended the process on a fresh worker: nothing is lost', async () => {
    const handle = await start(1);
    const warm = await invoke(handle, 'warm');
    const first = invoke(handle, 'a', 'exit');
    await tick();
    const second = invoke(handle, 'b');
    const [a, b] = await Promise.all([first, second]);
    expect(a).toMatchObject({ ok: false, crash: 'exit' });
    expect(b.ok).toBe(true);
    expect(pidOf(b)).not.toBe(pidOf(warm));
    expect(begun()).toEqual(['warm', 'a', 'b']);
  });
});
