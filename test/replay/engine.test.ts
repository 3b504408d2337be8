import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { ReplayEngine, type EngineOptions } from '../../src/replay/engine.js';
import type { EngineEvent, Invocation, InvokeOutcome, ReplayPage } from '../../src/replay/engine-types.js';
import type { FailureLine } from '../../src/replay/failure-record.js';
import { functionArnFor } from '../../src/replay/failure-record.js';
import { makeRecord, page, pages, range, seqOf, STREAM_ARN } from './make-records.js';

type Handler = (records: string[], invocation: Invocation) => InvokeOutcome | Promise<InvokeOutcome>;

const ok = (response: unknown = null): InvokeOutcome => ({ ok: true, response });
const boom = (message = 'boom'): InvokeOutcome => ({ ok: false, error: { errorType: 'Error', errorMessage: message } });

/** Sequence numbers back to the small numbers the tests use. */
const n = (sequence: string): number => Number(BigInt(sequence) - 100000000000000000000n);

function harness(handler: Handler, settings: Partial<EngineOptions> = {}) {
  const calls: number[][] = [];
  const failures: FailureLine[] = [];
  const events: EngineEvent[] = [];
  const checkpoint = { advanced: [] as Array<[string, number]>, finished: [] as string[], saves: 0 };
  const options: EngineOptions = {
    batchSize: 100, batchWindowMs: 0, maxRetries: 3, bisectOnError: false, maxRecordAgeMs: -1,
    reportBatchItemFailures: false, parallelizationFactor: 1,
    retryDelayMs: () => 0,
    functionArn: (arn) => functionArnFor('test-fn', arn),
    invoke: async (invocation) => {
      const sequences = invocation.event.Records.map((r) => r.dynamodb.SequenceNumber);
      calls.push(sequences.map(n));
      return handler(sequences.map((s) => String(n(s))), invocation);
    },
    onFailure: async (line) => {
      failures.push(line);
    },
    onEvent: (event) => events.push(event),
    checkpoint: {
      advance: (shardId, sequence) => checkpoint.advanced.push([shardId, n(sequence)]),
      finish: (shardId) => checkpoint.finished.push(shardId),
      save: async () => {
        checkpoint.saves++;
      },
    },
    ...settings,
  };
  const engine = new ReplayEngine(options);
  return { engine, calls, failures, events, checkpoint, run: (source: AsyncIterable<ReplayPage>) => engine.run(source) };
}

const records = (from: number, to: number, key?: (i: number) => string) =>
  range(from, to).map((i) => makeRecord(i, key ? key(i) : `item-${i}`));

/**
 * Fake timers (and Date) for the running test: the engine's batch window and the tests' own
 * pauses take no real time, and happen in the same order on every run.
 */
function useFakeClock(): void {
  vi.useFakeTimers();
  onTestFinished(() => {
    vi.useRealTimers();
  });
}

/** A pause of `ms` on the test's clock. */
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs every timer there is, as they come due, until the run settles. */
async function settle<T>(run: Promise<T>): Promise<T> {
  const [result] = await Promise.all([run, vi.runAllTimersAsync()]);
  return result;
}

/** Lets the engine do everything it can do without time passing (with fake timers on). */
async function idle(): Promise<void> {
  await vi.advanceTimersByTimeAsync(0);
}

describe('batching', () => {
  it('delivers each shard in order in batches of --batch-size, checkpoints and finishes closed shards', async () => {
    const h = harness(() => ok(), { batchSize: 4 });
    const stats = await h.run(pages(page('s1', records(1, 6)), page('s1', records(7, 10), true)));
    // How the second page's records join batches depends on timing; order and size do not.
    expect(h.calls[0]).toEqual([1, 2, 3, 4]);
    expect(h.calls.flat()).toEqual(range(1, 10));
    expect(h.calls.every((call) => call.length <= 4)).toBe(true);
    expect(stats).toMatchObject({ received: 10, succeeded: 10, invocations: h.calls.length, failedRecords: 0 });
    expect(h.checkpoint.advanced.at(-1)).toEqual(['s1', 10]);
    expect(h.checkpoint.finished).toEqual(['s1']);
    expect(h.events).toContainEqual({ type: 'shard-end', shardId: 's1' });
  });

  it('keeps shards apart: a batch never mixes records of two shards', async () => {
    const h = harness(() => ok(), { batchSize: 10 });
    await h.run(pages(page('a', records(1, 3)), page('b', records(11, 12)), page('a', records(4, 5))));
    for (const call of h.calls) expect(call.every((s) => s < 10) || call.every((s) => s > 10)).toBe(true);
    expect(h.calls.flat().filter((s) => s < 10)).toEqual([1, 2, 3, 4, 5]);
    expect(h.checkpoint.finished).toEqual([]);
  });

  it('with a batch window, gathers records from several pages into one invocation', async () => {
    useFakeClock();
    const started = Date.now();
    const invokedAt: number[] = [];
    const h = harness(() => {
      invokedAt.push(Date.now() - started);
      return ok();
    }, { batchSize: 100, batchWindowMs: 150 });
    // Records 1-5 arrive 10 ms apart, well inside the window; record 6 long after it closed.
    async function* trickle(): AsyncGenerator<ReplayPage> {
      for (const i of range(1, 5)) {
        yield page('s1', [makeRecord(i)]);
        await pause(10);
      }
      await pause(300);
      yield page('s1', [makeRecord(6)]);
    }
    await settle(h.run(trickle()));
    expect(h.calls).toEqual([[1, 2, 3, 4, 5], [6]]);
    // The window opens with the first record and closes 150 ms later, not a moment before.
    expect(invokedAt[0]).toBe(150);
    expect(invokedAt[1]).toBeGreaterThanOrEqual(350);
    expect(invokedAt[1]).toBeLessThanOrEqual(350 + 150);
  });

  it('without a window, invokes as soon as records are there', async () => {
    useFakeClock();
    const started = Date.now();
    const invokedAt: number[] = [];
    const h = harness(() => {
      invokedAt.push(Date.now() - started);
      return ok();
    }, { batchSize: 100, batchWindowMs: 0 });
    async function* trickle(): AsyncGenerator<ReplayPage> {
      for (const i of range(1, 3)) {
        yield page('s1', [makeRecord(i)]);
        await pause(30);
      }
    }
    await settle(h.run(trickle()));
    expect(h.calls).toEqual([[1], [2], [3]]);
    expect(invokedAt).toEqual([0, 30, 60]);
  });

  it('a full batch does not wait for the window', async () => {
    useFakeClock();
    const started = Date.now();
    const invokedAt: number[] = [];
    const h = harness(() => {
      invokedAt.push(Date.now() - started);
      return ok();
    }, { batchSize: 3, batchWindowMs: 60_000 });
    async function* slow(): AsyncGenerator<ReplayPage> {
      yield page('s1', records(1, 3));
      await pause(100);
      expect(h.calls).toEqual([[1, 2, 3]]);
    }
    await settle(h.run(slow()));
    expect(invokedAt).toEqual([0]);
  });

  it('cuts a batch before it passes the 6 MB invocation payload', async () => {
    const big = 'x'.repeat(1024 * 1024);
    const list = range(1, 8).map((i) => makeRecord(i, `item-${i}`, { extra: big }));
    const h = harness(() => ok(), { batchSize: 100 });
    await h.run(pages(page('s1', list)));
    expect(h.calls).toEqual([[1, 2, 3, 4, 5], [6, 7, 8]]);
  });
});

describe('filters', () => {
  it('skips and counts records that match no filter; the checkpoint moves past them', async () => {
    const h = harness(() => ok(), { filter: (r) => n(r.dynamodb.SequenceNumber) % 2 === 0 });
    const stats = await h.run(pages(page('s1', records(1, 7), true)));
    expect(h.calls).toEqual([[2, 4, 6]]);
    expect(stats).toMatchObject({ received: 7, filtered: 4, succeeded: 3 });
    expect(h.checkpoint.advanced.at(-1)).toEqual(['s1', 7]);
    expect(h.checkpoint.finished).toEqual(['s1']);
  });

  it('a page of only filtered records still moves the checkpoint', async () => {
    const h = harness(() => ok(), { filter: () => false });
    await h.run(pages(page('s1', records(1, 3))));
    expect(h.calls).toEqual([]);
    expect(h.checkpoint.advanced).toEqual([['s1', 3]]);
  });
});

describe('onRecord', () => {
  it('names each record taken for the handler with its shard: after the filters, none beyond maxRecords', async () => {
    const taken: Array<[string, number]> = [];
    const h = harness(() => ok(), {
      filter: (r) => n(r.dynamodb.SequenceNumber) !== 2,
      maxRecords: 4,
      onRecord: (shardId, record) => taken.push([shardId, n(record.dynamodb.SequenceNumber)]),
    });
    await h.run(pages(page('a', records(1, 3)), page('b', records(11, 13))));
    expect(taken).toEqual([['a', 1], ['a', 3], ['b', 11], ['b', 12]]);
    expect(h.calls.flat().sort((x, y) => x - y)).toEqual([1, 3, 11, 12]);
  });
});

describe('records dropped upstream', () => {
  it('the checkpoint moves to `through` once the page\'s records are done; dropped records count as filtered', async () => {
    useFakeClock();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const h = harness(async () => {
      await gate;
      return ok();
    });
    const run = h.run(pages(
      { shardId: 's1', records: [makeRecord(2)], end: false, through: seqOf(4), skipped: 3 },
      { shardId: 's1', records: [], end: false, through: seqOf(7), skipped: 3 },
    ));
    await idle();
    expect(h.calls).toEqual([[2]]);
    expect(h.checkpoint.advanced).toEqual([]);
    release();
    const stats = await run;
    expect(h.checkpoint.advanced).toEqual([['s1', 7]]);
    expect(stats).toMatchObject({ received: 7, filtered: 6, succeeded: 1 });
  });
});

describe('retries and the failure destination', () => {
  it('retries a failing batch --max-retries times, writes it to the failure sink, and goes on', async () => {
    const h = harness((seqs) => (seqs.includes('2') ? boom('bad record') : ok()), { batchSize: 2 });
    const stats = await h.run(pages(page('s1', records(1, 5), true)));
    expect(h.calls).toEqual([[1, 2], [1, 2], [1, 2], [1, 2], [3, 4], [5]]);
    expect(stats).toMatchObject({ invocations: 6, retries: 3, functionErrors: 4, failedRecords: 2, failedBatches: 1, succeeded: 3 });
    expect(h.failures).toHaveLength(1);
    const line = h.failures[0]!;
    expect(line.requestContext).toMatchObject({
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 4,
      functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:test-fn',
    });
    expect(line.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(line.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    expect(line.version).toBe('1.0');
    expect(line.DDBStreamBatchInfo).toMatchObject({
      shardId: 's1', startSequenceNumber: seqOf(1), endSequenceNumber: seqOf(2), batchSize: 2, streamArn: STREAM_ARN,
    });
    expect(line.DDBStreamBatchInfo.approximateArrivalOfFirstRecord).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(line.records.map((r) => n(r.dynamodb.SequenceNumber))).toEqual([1, 2]);
    expect(line.error).toEqual({ errorType: 'Error', errorMessage: 'bad record' });
    // Given-up records count as handled for the checkpoint, as Lambda moves past them.
    expect(h.checkpoint.advanced.at(-1)).toEqual(['s1', 5]);
    const lastFailure = h.events.filter((e) => e.type === 'batch-failed').at(-1);
    expect(lastFailure).toMatchObject({ next: 'give-up', retries: 4, maxRetries: 3 });
  });

  it('--max-retries 0 gives up after the first attempt', async () => {
    const h = harness(() => boom(), { maxRetries: 0 });
    await h.run(pages(page('s1', records(1, 2))));
    expect(h.calls).toEqual([[1, 2]]);
    expect(h.failures[0]!.requestContext.approximateInvokeCount).toBe(1);
  });

  it('--max-retries -1 retries until the handler succeeds', async () => {
    let attempts = 0;
    const h = harness(() => (++attempts < 25 ? boom() : ok()), { maxRetries: -1 });
    const stats = await h.run(pages(page('s1', records(1, 1))));
    expect(attempts).toBe(25);
    expect(stats).toMatchObject({ succeeded: 1, failedRecords: 0, retries: 24 });
  });

  it('a shard\'s next batch starts only once the checkpoint of the last one is saved', async () => {
    useFakeClock();
    let releaseSave: () => void = () => {};
    const saved: number[] = [];
    const h = harness(() => ok(), {
      batchSize: 1,
      checkpoint: {
        advance: (_shard, sequence) => saved.push(n(sequence)),
        finish: () => {},
        save: () => new Promise<void>((resolve) => (releaseSave = resolve)),
      },
    });
    const run = h.run(pages(page('s1', records(1, 2))));
    await idle();
    expect(h.calls).toEqual([[1]]);
    releaseSave();
    await idle();
    expect(h.calls).toEqual([[1], [2]]);
    releaseSave();
    await run;
  });

  it('the checkpoint never passes a batch that is still being retried', async () => {
    let failuresLeft = 2;
    const h = harness((seqs) => (seqs.includes('1') && failuresLeft-- > 0 ? boom() : ok()), { batchSize: 1 });
    await h.run(pages(page('s1', records(1, 3))));
    expect(h.checkpoint.advanced).toEqual([['s1', 1], ['s1', 2], ['s1', 3]]);
  });
});

describe('--bisect-on-error', () => {
  it('isolates a poison record: the rest succeed and the failure line holds exactly it', async () => {
    const h = harness((seqs) => (seqs.includes('6') ? boom('poison') : ok()), { bisectOnError: true, maxRetries: 2 });
    const stats = await h.run(pages(page('s1', records(1, 8), true)));
    expect(h.calls.slice(0, 4)).toEqual([[1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4], [5, 6, 7, 8], [5, 6]]);
    expect(h.calls.filter((c) => c.length === 1 && c[0] === 6)).toHaveLength(3);
    expect(h.failures).toHaveLength(1);
    expect(h.failures[0]!.records.map((r) => n(r.dynamodb.SequenceNumber))).toEqual([6]);
    expect(h.failures[0]!.DDBStreamBatchInfo.batchSize).toBe(1);
    expect(stats).toMatchObject({ succeeded: 7, failedRecords: 1, bisects: 3 });
    // Order is kept: everything before the poison record is delivered before anything after it.
    const delivered = h.calls.filter((c) => !c.includes(6)).flat();
    expect(delivered).toEqual([1, 2, 3, 4, 5, 7, 8]);
  });

  it('splits do not use up retries: with --max-retries 0 the poison record is still isolated', async () => {
    const h = harness((seqs) => (seqs.includes('3') ? boom() : ok()), { bisectOnError: true, maxRetries: 0 });
    await h.run(pages(page('s1', records(1, 4))));
    expect(h.failures.map((f) => f.records.map((r) => n(r.dynamodb.SequenceNumber)))).toEqual([[3]]);
    expect(h.calls).toEqual([[1, 2, 3, 4], [1, 2], [3, 4], [3], [4]]);
  });
});

describe('--report-batch-item-failures', () => {
  const settings = { reportBatchItemFailures: true, batchSize: 5 };

  it('records before the lowest failed sequence number are done; the batch is retried from it', async () => {
    let first = true;
    const h = harness(() => {
      if (!first) return ok({ batchItemFailures: [] });
      first = false;
      return ok({ batchItemFailures: [{ itemIdentifier: seqOf(4) }, { itemIdentifier: seqOf(3) }] });
    }, settings);
    const stats = await h.run(pages(page('s1', records(1, 5))));
    expect(h.calls).toEqual([[1, 2, 3, 4, 5], [3, 4, 5]]);
    expect(stats).toMatchObject({ succeeded: 5, retries: 1, failedRecords: 0 });
    expect(h.checkpoint.advanced).toEqual([['s1', 2], ['s1', 5]]);
  });

  it('writes only the records from the failed one on when retries run out, without functionError', async () => {
    const h = harness(() => ok({ batchItemFailures: [{ itemIdentifier: seqOf(4) }] }), { ...settings, maxRetries: 1 });
    await h.run(pages(page('s1', records(1, 5))));
    expect(h.calls).toEqual([[1, 2, 3, 4, 5], [4, 5]]);
    expect(h.failures).toHaveLength(1);
    expect(h.failures[0]!.requestContext.approximateInvokeCount).toBe(2);
    expect(h.failures[0]!.records.map((r) => n(r.dynamodb.SequenceNumber))).toEqual([4, 5]);
    expect(h.failures[0]!.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST' });
  });

  it.each([
    ['an empty list', { batchItemFailures: [] }],
    ['a null list', { batchItemFailures: null }],
    ['a null response', null],
    ['no response', undefined],
    ['a response without the field', { statusCode: 200 }],
  ])('%s is success', async (_name, response) => {
    const h = harness(() => ok(response), settings);
    const stats = await h.run(pages(page('s1', records(1, 3))));
    expect(h.calls).toEqual([[1, 2, 3]]);
    expect(stats.succeeded).toBe(3);
  });

  it.each([
    ['a missing itemIdentifier', { batchItemFailures: [{}] }],
    ['an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['an unknown itemIdentifier', { batchItemFailures: [{ itemIdentifier: '42' }] }],
    ['a misspelt key', { batchItemFailures: [{ itemIdentifer: seqOf(2) }] }],
  ])('%s fails the whole batch', async (_name, response) => {
    const h = harness(() => ok(response), { ...settings, maxRetries: 1 });
    await h.run(pages(page('s1', records(1, 3))));
    expect(h.calls).toEqual([[1, 2, 3], [1, 2, 3]]);
    expect(h.failures[0]!.records).toHaveLength(3);
    expect(h.events.find((e) => e.type === 'batch-failed')).toMatchObject({ reason: 'invalid-response' });
  });

  it('without the flag a batchItemFailures response is ignored: the batch succeeded', async () => {
    const h = harness(() => ok({ batchItemFailures: [{ itemIdentifier: seqOf(1) }] }), { batchSize: 5 });
    const stats = await h.run(pages(page('s1', records(1, 3))));
    expect(h.calls).toEqual([[1, 2, 3]]);
    expect(stats.succeeded).toBe(3);
  });
});

describe('--max-record-age', () => {
  it('sends records older than the limit to the failure sink without invoking the function', async () => {
    const now = Date.now();
    const old = (i: number) => makeRecord(i, `item-${i}`, { time: Math.floor(now / 1000) - 3600 });
    const h = harness(() => ok(), { maxRecordAgeMs: 60_000, now: () => now });
    const stats = await h.run(pages(page('s1', [old(1), old(2), makeRecord(3)])));
    expect(h.calls).toEqual([[3]]);
    expect(stats).toMatchObject({ succeeded: 1, failedRecords: 2 });
    expect(h.failures[0]!.requestContext).toMatchObject({ condition: 'RecordAgeExceeded', approximateInvokeCount: 0 });
    expect(h.failures[0]).not.toHaveProperty('responseContext');
    expect(h.failures[0]!.records.map((r) => n(r.dynamodb.SequenceNumber))).toEqual([1, 2]);
  });

  it('records that age out while being retried go to the failure sink', async () => {
    let clock = Date.now();
    const h = harness(() => {
      clock += 120_000;
      return boom();
    }, { maxRecordAgeMs: 60_000, maxRetries: -1, now: () => clock });
    await h.run(pages(page('s1', [makeRecord(1, 'a', { time: Math.floor(clock / 1000) })])));
    expect(h.calls).toEqual([[1]]);
    expect(h.failures[0]!.requestContext).toMatchObject({ condition: 'RecordAgeExceeded', approximateInvokeCount: 1 });
    expect(h.failures[0]!.responseContext).toMatchObject({ functionError: 'Unhandled' });
  });
});

describe('--parallelization-factor', () => {
  it('runs several batches of one shard at once but never two records of one item', async () => {
    useFakeClock();
    let inFlight = 0;
    let most = 0;
    const busyKeys = new Set<string>();
    const seen = new Map<string, number[]>();
    const h = harness(async (_seqs, invocation) => {
      inFlight++;
      most = Math.max(most, inFlight);
      const keys = new Set(invocation.event.Records.map((r) => JSON.stringify(r.dynamodb.Keys)));
      for (const key of keys) expect(busyKeys.has(key)).toBe(false);
      for (const key of keys) busyKeys.add(key);
      for (const r of invocation.event.Records) {
        const key = JSON.stringify(r.dynamodb.Keys);
        seen.set(key, [...(seen.get(key) ?? []), n(r.dynamodb.SequenceNumber)]);
      }
      await pause(15);
      for (const key of keys) busyKeys.delete(key);
      inFlight--;
      return ok();
    }, { parallelizationFactor: 4, batchSize: 5 });
    // 60 records over 6 items: each item's records must arrive in order.
    await settle(h.run(pages(page('s1', records(1, 60, (i) => `item-${i % 6}`), true))));
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(4);
    for (const [, sequence] of seen) expect(sequence).toEqual([...sequence].sort((a, b) => a - b));
    expect(h.checkpoint.advanced.at(-1)).toEqual(['s1', 60]);
    expect(h.checkpoint.finished).toEqual(['s1']);
  });

  it('checkpoints only the contiguous prefix of finished records', async () => {
    useFakeClock();
    // Item "slow" (record 1) takes long; items after it finish first.
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const h = harness(async (seqs) => {
      if (seqs.includes('1')) await gate;
      return ok();
    }, { parallelizationFactor: 10, batchSize: 1 });
    const run = h.run(pages(page('s1', [makeRecord(1, 'slow'), ...records(2, 12, (i) => `k${i}`)])));
    await idle();
    // Records of other items have been handled meanwhile; record 1 still holds the checkpoint back.
    expect(h.calls.length).toBeGreaterThan(1);
    expect(h.checkpoint.advanced).toEqual([]);
    release();
    await run;
    expect(h.checkpoint.advanced.at(-1)).toEqual(['s1', 12]);
  });
});

describe('stopping', () => {
  it('--max-records: replays that many records (after filters), checkpoints them, and stops reading', async () => {
    let pulled = 0;
    async function* source(): AsyncGenerator<ReplayPage> {
      for (let i = 0; i < 10; i++) {
        pulled++;
        yield page('s1', records(i * 3 + 1, i * 3 + 3), i === 9);
      }
    }
    const h = harness(() => ok(), { maxRecords: 4, filter: (r) => n(r.dynamodb.SequenceNumber) !== 2 });
    const stats = await h.run(source());
    expect(h.calls.flat()).toEqual([1, 3, 4, 5]);
    expect(stats).toMatchObject({ succeeded: 4, filtered: 1 });
    expect(pulled).toBe(2);
    expect(h.checkpoint.advanced.at(-1)).toEqual(['s1', 5]);
    expect(h.checkpoint.finished).toEqual([]);
  });

  it('an abort stops reading and invoking; unfinished records are not checkpointed', async () => {
    useFakeClock();
    const controller = new AbortController();
    const h = harness(async (seqs) => {
      if (seqs.includes('3')) controller.abort();
      return ok();
    }, { batchSize: 1, signal: controller.signal });
    async function* endless(): AsyncGenerator<ReplayPage> {
      for (let i = 1; ; i++) {
        yield page('s1', [makeRecord(i)]);
        await pause(5);
      }
    }
    await settle(h.run(endless()));
    expect(h.calls.length).toBeLessThanOrEqual(4);
    expect(h.checkpoint.advanced.at(-1)![1]).toBeLessThanOrEqual(2);
  });

  it('a checkpoint that cannot be saved stops the run with that error', async () => {
    const h = harness(() => ok(), {
      checkpoint: { advance: () => {}, finish: () => {}, save: async () => { throw new Error('disk full'); } },
    });
    await expect(h.run(pages(page('s1', records(1, 3))))).rejects.toThrow('disk full');
  });
});
