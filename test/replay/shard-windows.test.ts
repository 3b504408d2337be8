import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { ReplayEngine, type EngineOptions } from '../../src/replay/engine.js';
import type { EngineEvent, InvokeOutcome, ReplayPage } from '../../src/replay/engine-types.js';
import type { FailureLine } from '../../src/replay/failure-record.js';
import { functionArnFor } from '../../src/replay/failure-record.js';
import { makeRecord, page, pages, seqOf } from './make-records.js';

/** A whole minute, so windows of 60 s start at T. */
const T = 1_700_000_040;

interface WindowEvent {
  Records: Array<{ dynamodb: { SequenceNumber: string } }>;
  window: { start: string; end: string };
  state: Record<string, unknown>;
  shardId: string;
  eventSourceARN: string;
  isFinalInvokeForWindow: boolean;
  isWindowTerminatedEarly: boolean;
}

/** What each invocation saw, in small numbers. */
interface Call {
  seqs: number[];
  start: string;
  state: Record<string, unknown>;
  final: boolean;
  early: boolean;
  shard: string;
}

const n = (sequence: string): number => Number(BigInt(sequence) - 100000000000000000000n);
const at = (seq: number, seconds: number) => makeRecord(seq, `item-${seq}`, { time: T + seconds });

function harness(handler: (event: WindowEvent, call: number) => InvokeOutcome, settings: Partial<EngineOptions> = {}) {
  const calls: Call[] = [];
  const failures: FailureLine[] = [];
  const events: EngineEvent[] = [];
  const advanced: Array<[string, number]> = [];
  const options: EngineOptions = {
    batchSize: 100, batchWindowMs: 0, maxRetries: 3, bisectOnError: false, maxRecordAgeMs: -1,
    reportBatchItemFailures: false, parallelizationFactor: 1, tumblingWindowSeconds: 60,
    retryDelayMs: () => 0,
    functionArn: (arn) => functionArnFor('test-fn', arn),
    invoke: async (invocation) => {
      const event = JSON.parse(invocation.payload) as WindowEvent;
      calls.push({
        seqs: event.Records.map((r) => n(r.dynamodb.SequenceNumber)), start: event.window.start.slice(11), state: event.state,
        final: event.isFinalInvokeForWindow, early: event.isWindowTerminatedEarly, shard: event.shardId,
      });
      return handler(event, calls.length);
    },
    onFailure: async (line) => {
      failures.push(line);
    },
    onEvent: (event) => events.push(event),
    checkpoint: { advance: (shardId, sequence) => advanced.push([shardId, n(sequence)]), finish: () => {}, save: async () => {} },
    ...settings,
  };
  const engine = new ReplayEngine(options);
  return { calls, failures, events, advanced, run: (source: AsyncIterable<ReplayPage>) => engine.run(source) };
}

/** A handler that counts records per window in its state. */
const counting = (event: WindowEvent): InvokeOutcome =>
  ({ ok: true, response: { state: { count: Number(event.state.count ?? 0) + event.Records.length } } });

const windowStart = (offset: number): string => new Date((T + offset) * 1000).toISOString().slice(11, 19) + 'Z';

describe('tumbling windows in the engine', () => {
  it('a window spans batches, carries its state, and ends with a final invocation; the next window starts fresh', async () => {
    const h = harness(counting, { batchSize: 2 });
    await h.run(pages(page('s1', [at(1, 0), at(2, 10), at(3, 20), at(4, 65), at(5, 70)], true)));
    expect(h.calls).toEqual([
      { seqs: [1, 2], start: windowStart(0), state: {}, final: false, early: false, shard: 's1' },
      { seqs: [3], start: windowStart(0), state: { count: 2 }, final: false, early: false, shard: 's1' },
      { seqs: [], start: windowStart(0), state: { count: 3 }, final: true, early: false, shard: 's1' },
      { seqs: [4, 5], start: windowStart(60), state: {}, final: false, early: false, shard: 's1' },
      { seqs: [], start: windowStart(60), state: { count: 2 }, final: true, early: false, shard: 's1' },
    ]);
  });

  it('the window\'s fields are Lambda\'s: ISO start and end, the shard, the stream ARN', async () => {
    let seen: WindowEvent | undefined;
    const h = harness((event) => {
      seen ??= event;
      return counting(event);
    });
    await h.run(pages(page('s1', [at(1, 5)], true)));
    expect(seen).toMatchObject({
      window: { start: new Date(T * 1000).toISOString().replace('.000Z', 'Z'), end: new Date((T + 60) * 1000).toISOString().replace('.000Z', 'Z') },
      shardId: 's1', eventSourceARN: makeRecord(1).eventSourceARN, isFinalInvokeForWindow: false, isWindowTerminatedEarly: false,
    });
  });

  it('a failing final invocation halts the shard until it succeeds; the checkpoint passes the window only then', async () => {
    let finals = 0;
    const h = harness((event) => {
      if (event.isFinalInvokeForWindow && event.window.start.endsWith(windowStart(0)) && finals++ < 2) {
        return { ok: false, error: { errorType: 'Error', errorMessage: 'final failed' } };
      }
      return counting(event);
    });
    await h.run(pages(page('s1', [at(1, 0), at(2, 10)]), page('s1', [at(3, 61)], true)));
    expect(h.calls.map((call) => [call.seqs, call.final])).toEqual([
      [[1, 2], false], [[], true], [[], true], [[], true], [[3], false], [[], true],
    ]);
    expect(h.calls[3]!.state).toEqual({ count: 2 });
    expect(h.advanced).toEqual([['s1', 2], ['s1', 3]]);
    const failed = h.events.filter((event) => event.type === 'batch-failed');
    expect(failed).toHaveLength(2);
    expect(failed[0]).toMatchObject({ finalInvoke: { start: new Date(T * 1000).toISOString().replace('.000Z', 'Z') }, next: 'retry', records: 0 });
  });

  it('a final invocation past its retries drops the state; the next window starts fresh', async () => {
    const h = harness((event) => (event.isFinalInvokeForWindow && event.window.start.endsWith(windowStart(0))
      ? { ok: false, error: { errorType: 'Error', errorMessage: 'no' } }
      : counting(event)), { maxRetries: 1 });
    await h.run(pages(page('s1', [at(1, 0), at(2, 61)], true)));
    expect(h.calls.map((call) => [call.seqs, call.final, call.state])).toEqual([
      [[1], false, {}], [[], true, { count: 1 }], [[], true, { count: 1 }], [[2], false, {}], [[], true, { count: 1 }],
    ]);
    expect(h.failures).toEqual([]);
    expect(h.events.filter((event) => event.type === 'batch-failed').map((event) => (event as { next: string }).next)).toEqual(['retry', 'give-up']);
  });

  it('a state past 1 MB ends the window early: a final invocation says so, and the window goes on with fresh state', async () => {
    const big = 'x'.repeat(1024 * 1024);
    const h = harness((event) => {
      if (event.isFinalInvokeForWindow) return { ok: true, response: { state: {} } };
      return { ok: true, response: { state: event.Records.some((r) => n(r.dynamodb.SequenceNumber) === 1) ? { big } : { count: 1 } } };
    }, { batchSize: 1 });
    await h.run(pages(page('s1', [at(1, 0), at(2, 10)], true)));
    expect(h.calls.map((call) => [call.seqs, call.final, call.early, call.start])).toEqual([
      [[1], false, false, windowStart(0)],
      [[], true, true, windowStart(0)],
      [[2], false, false, windowStart(0)],
      [[], true, false, windowStart(0)],
    ]);
    expect(h.calls[1]!.state).toEqual({ big });
    expect(h.calls[2]!.state).toEqual({});
  });

  it('a handler that forgets state fails the invocation: retried, then given up to the failure destination', async () => {
    const h = harness(() => ({ ok: true, response: { batchItemFailures: [] } }), { maxRetries: 1 });
    const stats = await h.run(pages(page('s1', [at(1, 0)], true)));
    expect(h.calls.filter((call) => !call.final).map((call) => call.seqs)).toEqual([[1], [1]]);
    expect(stats.failedRecords).toBe(1);
    expect(h.failures[0]!.DDBStreamBatchInfo.startSequenceNumber).toBe(seqOf(1));
    const failed = h.events.find((event) => event.type === 'batch-failed');
    expect(failed).toMatchObject({ reason: 'function-error', error: { errorType: 'InvalidWindowResponse', errorMessage: expect.stringMatching(/no state/) } });
  });

  it('partial failures: the records before the failed one are done and the state they returned carries to the retry', async () => {
    let first = true;
    const h = harness((event) => {
      if (first && !event.isFinalInvokeForWindow) {
        first = false;
        return { ok: true, response: { state: { count: 1 }, batchItemFailures: [{ itemIdentifier: seqOf(2) }] } };
      }
      return counting(event);
    }, { reportBatchItemFailures: true });
    await h.run(pages(page('s1', [at(1, 0), at(2, 1), at(3, 2)], true)));
    expect(h.calls.map((call) => [call.seqs, call.state])).toEqual([[[1, 2, 3], {}], [[2, 3], { count: 1 }], [[], { count: 3 }]]);
  });

  it('bisect: both halves run in the window with its state', async () => {
    let failed = false;
    const h = harness((event) => {
      if (!failed && event.Records.length === 2) {
        failed = true;
        return { ok: false, error: { errorType: 'Error', errorMessage: 'boom' } };
      }
      return counting(event);
    }, { bisectOnError: true });
    await h.run(pages(page('s1', [at(1, 0), at(2, 1)], true)));
    expect(h.calls.map((call) => [call.seqs, call.state])).toEqual([[[1, 2], {}], [[1], {}], [[2], { count: 1 }], [[], { count: 2 }]]);
  });

  it('a shard split inside a window: the parent\'s window closes with the parent, the child starts fresh', async () => {
    const h = harness(counting);
    await h.run(pages(page('parent', [at(1, 0), at(2, 10)], true), page('child', [at(3, 20)], true)));
    const of = (shard: string) => h.calls.filter((call) => call.shard === shard).map((call) => [call.seqs, call.final, call.state, call.start]);
    expect(of('parent')).toEqual([[[1, 2], false, {}, windowStart(0)], [[], true, { count: 2 }, windowStart(0)]]);
    expect(of('child')).toEqual([[[3], false, {}, windowStart(0)], [[], true, { count: 1 }, windowStart(0)]]);
  });

  it('--follow: a caught-up shard\'s window closes when the clock passes its end', async () => {
    vi.useFakeTimers({ now: (T + 30) * 1000 });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const controller = new AbortController();
    const h = harness(counting, { signal: controller.signal });
    async function* live(): AsyncGenerator<ReplayPage> {
      yield { shardId: 's1', records: [at(1, 0), at(2, 20)], end: false, caughtUp: true };
      await new Promise<void>((resolve) => controller.signal.addEventListener('abort', () => resolve()));
    }
    const run = h.run(live());
    await vi.advanceTimersByTimeAsync(0);
    expect(h.calls.map((call) => call.final)).toEqual([false]);
    await vi.advanceTimersByTimeAsync(29_000);
    expect(h.calls.map((call) => call.final)).toEqual([false]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(h.calls.map((call) => [call.final, call.state])).toEqual([[false, {}], [true, { count: 2 }]]);
    controller.abort();
    await run;
  });
});
