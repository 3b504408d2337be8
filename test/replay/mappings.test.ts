import { describe, expect, it } from 'vitest';
import type { EngineStats, Invocation, ReplayPage } from '../../src/replay/engine-types.js';
import { functionArnFor } from '../../src/replay/failure-record.js';
import { ReplayMappings, sumStats } from '../../src/replay/mappings.js';
import { makeRecord, page, pages, range, STREAM_ARN } from './make-records.js';

const OTHER_ARN = 'arn:aws:dynamodb:eu-west-1:123456789012:table/Users/stream/2024-05-01T10:00:00.000';

const settings = {
  batchSize: 3, batchWindowMs: 0, maxRetries: 0, bisectOnError: false, maxRecordAgeMs: -1,
  reportBatchItemFailures: false, parallelizationFactor: 1, retryDelayMs: () => 0,
  functionArn: (arn: string) => functionArnFor('fn', arn),
};

const recordsOf = (streamArn: string, from: number, to: number) =>
  range(from, to).map((i) => ({ ...makeRecord(i), eventSourceARN: streamArn }));

function checkpoint() {
  const advanced: string[] = [];
  return { advanced, sink: { advance: (_: string, seq: string) => void advanced.push(seq), finish: () => {}, save: async () => {} } };
}

describe('ReplayMappings: one event source mapping per stream', () => {
  it('runs each stream\'s records in batches of their own, with their own checkpoint, and adds up the counts', async () => {
    const invocations: Invocation[] = [];
    const mappings = new ReplayMappings({
      ...settings,
      invoke: async (invocation) => {
        invocations.push(invocation);
        return { ok: true, response: null };
      },
    });
    // The same shard id in both streams: still two mappings, never one batch.
    const orders = checkpoint();
    const users = checkpoint();
    const stats = await mappings.run([
      { pages: pages(page('shard-1', recordsOf(STREAM_ARN, 1, 5), true)), checkpoint: orders.sink },
      { pages: pages(page('shard-1', recordsOf(OTHER_ARN, 11, 14), true)), checkpoint: users.sink },
    ]);
    expect(stats.map((s) => s.succeeded)).toEqual([5, 4]);
    expect(mappings.stats).toMatchObject({ received: 9, succeeded: 9, invocations: 4 });
    for (const invocation of invocations) {
      const arns = new Set(invocation.event.Records.map((r) => r.eventSourceARN));
      expect([...arns]).toEqual([invocation.streamArn]);
    }
    expect(invocations.map((i) => i.event.Records.length).sort()).toEqual([1, 2, 3, 3]);
    expect(orders.advanced.at(-1)).toBe(makeRecord(5).dynamodb.SequenceNumber);
    expect(users.advanced.at(-1)).toBe(makeRecord(14).dynamodb.SequenceNumber);
  });

  it('when one mapping fails, the others stop with what they finished checkpointed, and the run fails with that failure', async () => {
    const gone = new Error('stream gone');
    async function* failing(): AsyncGenerator<ReplayPage> {
      yield page('shard-a', recordsOf(STREAM_ARN, 1, 3));
      throw gone;
    }
    // The other stream follows: it would never end by itself.
    let released: () => void = () => {};
    async function* following(): AsyncGenerator<ReplayPage> {
      yield page('shard-b', recordsOf(OTHER_ARN, 11, 13));
      await new Promise<void>((resolve) => (released = resolve));
    }
    const users = checkpoint();
    const mappings = new ReplayMappings({ ...settings, invoke: async () => ({ ok: true, response: null }) });
    mappings.signal.addEventListener('abort', () => released());
    await expect(mappings.run([{ pages: failing() }, { pages: following(), checkpoint: users.sink }])).rejects.toBe(gone);
    expect(mappings.signal.aborted).toBe(true);
    expect(users.advanced).toContain(makeRecord(13).dynamodb.SequenceNumber);
  });
});

describe('sumStats', () => {
  const stats = (over: Partial<EngineStats>): EngineStats => ({
    received: 0, filtered: 0, succeeded: 0, invocations: 0, functionErrors: 0, retries: 0, bisects: 0,
    failedRecords: 0, failedBatches: 0, caughtUp: true, ...over,
  });

  it('reports each mapping\'s events with the name of its stream', async () => {
    const seen: Array<[string, string | undefined]> = [];
    const mappings = new ReplayMappings({
      ...settings,
      invoke: async () => ({ ok: true, response: null }),
      onEvent: (event, stream) => seen.push([event.type, stream]),
    });
    await mappings.run([
      { pages: pages(page('shard-1', recordsOf(STREAM_ARN, 1, 2), true)), name: 'Orders' },
      { pages: pages(page('shard-2', recordsOf(OTHER_ARN, 3, 4), true)), name: 'Users' },
    ]);
    expect(seen.filter(([type]) => type === 'shard-end').map(([, stream]) => stream).sort()).toEqual(['Orders', 'Users']);
  });

  it('adds the counts, keeps the newest record time, and is caught up only when every mapping is', () => {
    const total = sumStats([
      stats({ received: 5, succeeded: 4, failedRecords: 1, failedBatches: 1, invocations: 3, retries: 2, lastRecordTime: 2000 }),
      stats({ received: 7, filtered: 2, succeeded: 5, invocations: 2, functionErrors: 1, bisects: 1, lastRecordTime: 5000, caughtUp: false }),
    ]);
    expect(total).toEqual(stats({
      received: 12, filtered: 2, succeeded: 9, failedRecords: 1, failedBatches: 1, invocations: 5, retries: 2, functionErrors: 1, bisects: 1,
      lastRecordTime: 5000, caughtUp: false,
    }));
    expect(sumStats([stats({ lastRecordTime: 10 }), stats({})]).lastRecordTime).toBe(10);
    expect(sumStats([]).caughtUp).toBe(false);
  });
});
