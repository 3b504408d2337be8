import { afterEach, describe, expect, it } from 'vitest';
import { TrimmedPositionError } from '../../src/stream/errors.js';
import { readStream } from '../../src/stream/reader.js';
import { MAX_EMPTY_SHARD_REOPENS } from '../../src/stream/trim-recovery.js';
import type { ShardBatch, StartPosition } from '../../src/stream/types.js';
import { closeAll, followUntil, sequenceNumbers, setUp, storedSequenceNumbers, waitFor, type Harness } from './harness.js';

afterEach(closeAll);

/** One open, empty shard on a fake that refuses iterators taken on an empty shard as DynamoDB Local does. */
async function emptyShardLikeDynamoDbLocal(): Promise<{ h: Harness; shard: string }> {
  const h = await setUp(1);
  h.fake.faults.trimIteratorsTakenOnEmptyShards();
  return { h, shard: h.fake.shardsOf(h.streamArn)[0]!.shardId };
}

/** Empty GetRecords answers the fake gave so far. */
function emptyPolls(h: Harness): number {
  return h.fake.log.entries({ action: 'GetRecords' }).filter((e) => e.outcome === 'ok' && e.records === 0).length;
}

function openings(h: Harness): number {
  return h.fake.log.entries({ action: 'GetShardIterator' }).length;
}

/** Whether the `opened`-th iterator (from 1) has had an empty answer to GetRecords. */
function polledSince(h: Harness, opened: number): boolean {
  const iterator = h.fake.log.entries({ action: 'GetShardIterator' })[opened - 1];
  return iterator !== undefined &&
    h.fake.log.entries({ action: 'GetRecords' }).some((e) => e.seq > iterator.seq && e.outcome === 'ok' && e.records === 0);
}

/** Follow from `start`; after two empty polls write `count` records; stop once they all arrived. */
async function followThroughFirstWrite(h: Harness, shard: string, start: StartPosition, count = 3): Promise<ShardBatch[]> {
  const writer = (async () => {
    await waitFor(() => emptyPolls(h) >= 2, 5_000, 'two empty polls');
    h.fake.appendGenerated(shard, { count });
  })();
  const batches = await followUntil(h.options({ start }), (all) => sequenceNumbers(all).length >= count);
  await writer;
  return batches;
}

describe('reader: a stream with no records yet (DynamoDB Local refuses the first iterator as trimmed)', () => {
  for (const start of [{ type: 'LATEST' }, { type: 'TRIM_HORIZON' }] satisfies StartPosition[]) {
    it(`started at ${start.type}: reads again from TRIM_HORIZON, and every record arrives once`, async () => {
      const { h, shard } = await emptyShardLikeDynamoDbLocal();
      const batches = await followThroughFirstWrite(h, shard, start);

      expect(sequenceNumbers(batches)).toEqual(storedSequenceNumbers(h.fake, shard));
      // The fake did refuse the first iterator: the test is about the recovery, not a lucky timing.
      expect(h.fake.log.entries({ action: 'GetRecords' }).some((e) => e.outcome === 'TrimmedDataAccessException')).toBe(true);
      expect(h.fake.log.entries({ action: 'GetShardIterator' }).map((e) => e.params.ShardIteratorType)).toEqual([start.type, 'TRIM_HORIZON']);
      expect(h.events.filter((e) => e.type === 'empty-shard-reopened')).toEqual([
        { type: 'empty-shard-reopened', shardId: shard, startedAt: start.type },
      ]);
      expect(h.events.some((e) => e.type === 'trimmed')).toBe(false);
    });
  }

  it('a shard that had records when its iterator was taken is not refused: no reopening', async () => {
    const { h, shard } = await emptyShardLikeDynamoDbLocal();
    h.fake.appendGenerated(shard, { count: 2 });
    const batches = await followThroughFirstWrite(h, shard, { type: 'TRIM_HORIZON' }, 5);
    expect(sequenceNumbers(batches)).toEqual(storedSequenceNumbers(h.fake, shard));
    expect(h.events.some((e) => e.type === 'empty-shard-reopened')).toBe(false);
  });

  it('a trimmed error on a checkpoint (sequence-number) position stays the error it is', async () => {
    const { h, shard } = await emptyShardLikeDynamoDbLocal();
    const { last } = h.fake.appendGenerated(shard, { count: 2 });
    const controller = new AbortController();
    const reading = (async () => {
      for await (const batch of readStream(
        h.options({ start: { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: last! }, follow: true, signal: controller.signal }),
      )) void batch;
    })();
    await waitFor(() => emptyPolls(h) >= 2, 5_000, 'two empty polls');
    // Everything after the position ages out under the held iterator: records were lost.
    h.fake.appendGenerated(shard, { count: 2 });
    h.fake.trimRecords(shard, 4);
    const error = await reading.then(() => undefined, (e: unknown) => e);
    controller.abort();
    expect(error).toBeInstanceOf(TrimmedPositionError);
    expect(h.events.some((e) => e.type === 'empty-shard-reopened')).toBe(false);
  });

  it(`gives up after ${MAX_EMPTY_SHARD_REOPENS} reopenings in a row with nothing read: then it is the trimmed error`, async () => {
    const { h, shard } = await emptyShardLikeDynamoDbLocal();
    let written = 0;
    // Each time the shard is opened again, its records age out first: the new iterator is taken
    // on an empty shard again, and the next write makes the fake refuse it again.
    const record = h.events.push.bind(h.events);
    h.events.push = (...events) => {
      for (const event of events) if (event.type === 'empty-shard-reopened') h.fake.trimRecords(shard, written);
      return record(...events);
    };
    const controller = new AbortController();
    let failure: unknown;
    const reading = (async () => {
      for await (const batch of readStream(h.options({ start: { type: 'LATEST' }, follow: true, signal: controller.signal }))) void batch;
    })().catch((error: unknown) => (failure = error));
    for (let opened = 1; failure === undefined; opened++) {
      // The iterator of this opening has been taken and polled once: now the write.
      await waitFor(() => failure !== undefined || polledSince(h, opened), 5_000, `iterator ${opened} polled`);
      if (failure !== undefined) break;
      written += 1;
      h.fake.appendGenerated(shard, { count: 1 });
      await waitFor(() => failure !== undefined || openings(h) > opened, 5_000, `opening ${opened + 1} or the error`);
    }
    await reading;
    controller.abort();
    expect(failure).toBeInstanceOf(TrimmedPositionError);
    expect(h.events.filter((e) => e.type === 'empty-shard-reopened')).toHaveLength(MAX_EMPTY_SHARD_REOPENS);
  });
});
