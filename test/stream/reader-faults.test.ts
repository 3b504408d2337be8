import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GaveUpRetryingError, StreamDisabledError, StreamGoneError, TrimmedPositionError } from '../../src/stream/errors.js';
import { CheckpointStore } from '../../src/stream/checkpoint.js';
import { readStream } from '../../src/stream/reader.js';
import type { ShardBatch } from '../../src/stream/types.js';
import {
  closeAll,
  delay,
  expectExactlyOnce,
  expectParentsFirst,
  followUntil,
  readAll,
  readUntilError,
  sequenceNumbers,
  setUp,
  storedSequenceNumbers,
  waitFor,
} from './harness.js';

const dirs: string[] = [];
afterEach(async () => {
  await closeAll();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A checkpoint saying shard `shardId` was read up to `sequenceNumber`. */
async function checkpointAt(streamArn: string, shardId: string, sequenceNumber: string): Promise<CheckpointStore> {
  const dir = await mkdtemp(join(tmpdir(), 'ddbstream-reader-'));
  dirs.push(dir);
  const store = await CheckpointStore.open(join(dir, 'cp.json'), streamArn);
  store.advance(shardId, sequenceNumber);
  await store.save();
  return CheckpointStore.open(join(dir, 'cp.json'), streamArn);
}

describe('reader: service faults', () => {
  it('backs off through throttling (both names), 500s and connection resets: every record once', async () => {
    const h = await setUp();
    const lineage = h.fake.addLineage(h.streamArn, { depth: 3, fanout: 2, recordsPerShard: 6, closeLeaves: true });
    // Two in a row of each: the SDK client retries once itself, the reader's backoff takes the rest.
    h.fake.faults
      .throttle(2, { error: 'ThrottlingException', actions: ['GetRecords'] })
      .throttle(2, { error: 'LimitExceededException', actions: ['GetRecords', 'GetShardIterator'] })
      .internalErrors(3, { actions: ['GetRecords', 'DescribeStream'] })
      .resetConnections(3, { actions: ['GetRecords', 'GetShardIterator'] })
      .throttle(2, { error: 'LimitExceededException', actions: ['DescribeStream'] });

    const batches = await readAll(h.options({ pageSize: 2 }));
    expectExactlyOnce(h.fake, batches, lineage.shards);
    expectParentsFirst(h.fake, batches);
    expect(h.fake.faults.pending()).toBe(0);
    const reasons = h.events.flatMap((e) => (e.type === 'backoff' ? [e.reason] : []));
    expect(reasons.some((r) => r.startsWith('throttled: ThrottlingException'))).toBe(true);
    expect(reasons.some((r) => r.startsWith('throttled: LimitExceededException'))).toBe(true);
    expect(reasons.some((r) => r.startsWith('server-error'))).toBe(true);
    expect(reasons.some((r) => r.startsWith('unreachable'))).toBe(true);
    for (const event of h.events) if (event.type === 'backoff') expect(event.delayMs).toBeGreaterThan(0);
    expect(h.events.some((e) => e.type === 'recovered')).toBe(true);
  });

  it('gives up on endless throttling after the policy time, saying so', async () => {
    const h = await setUp(1);
    h.fake.faults.throttle(10_000, { actions: ['GetRecords'] });
    const started = Date.now();
    const { error } = await readUntilError(h.options({ retry: { baseMs: 5, maxDelayMs: 20, giveUpAfterMs: 300 } }));
    expect(error).toBeInstanceOf(GaveUpRetryingError);
    expect(error).toMatchObject({ failure: 'throttled', afterMs: 300 });
    // The policy's 300 ms, plus the SDK client's own single retry of the last call.
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('resumes after an expired iterator right after the last record read (slow consumer)', async () => {
    const h = await setUp();
    const shards = h.fake.addRootShards(h.streamArn, 2, { lazy: { count: 30 }, closed: true });
    h.fake.faults.setIteratorLifetime(100);
    const batches: ShardBatch[] = [];
    // One reader at a time and a consumer slower than the iterator lifetime: held iterators go stale.
    for await (const batch of readStream(h.options({ pageSize: 4, concurrency: 1 }))) {
      batches.push(batch);
      await delay(60);
    }
    expectExactlyOnce(h.fake, batches, shards);
    const expired = h.events.filter((e) => e.type === 'iterator-expired').length;
    expect(expired).toBeGreaterThan(0);
    expect(h.fake.log.count({ action: 'GetRecords', outcome: 'ExpiredIteratorException' })).toBe(expired);
    // Each expiry is followed by a new iterator: right after the last record read when there
    // was one (at the shard's start otherwise, when the first iterator went stale in a queue).
    const opens = h.fake.log.entries({ action: 'GetShardIterator' });
    expect(opens).toHaveLength(shards.length + expired);
    const reissued = opens.filter((e) => e.params.ShardIteratorType === 'AFTER_SEQUENCE_NUMBER');
    expect(reissued.length).toBeGreaterThan(0);
    for (const entry of reissued) {
      const after = entry.params.SequenceNumber as string;
      const delivered = sequenceNumbers(batches, entry.shardId);
      // The number it resumed after had been read (not skipped past), and the next one read is the next stored.
      expect(delivered).toContain(after);
    }
  });

  it('a checkpoint position past the trim horizon stops the run, naming the position', async () => {
    const h = await setUp(1);
    const shard = h.fake.shardsOf(h.streamArn)[0]!.shardId;
    h.fake.appendGenerated(shard, { count: 10 });
    const saved = storedSequenceNumbers(h.fake, shard)[2]!;
    const checkpoint = await checkpointAt(h.streamArn, shard, saved);
    h.fake.trimRecords(shard, 6);

    const { error, batches } = await readUntilError(h.options({ checkpoint }));
    expect(error).toBeInstanceOf(TrimmedPositionError);
    expect(error).toMatchObject({
      shardId: shard,
      point: { kind: 'sequence', position: { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: saved } },
    });
    expect(batches).toEqual([]);
  });

  it('with onTrimmed skip, warns and continues at TRIM_HORIZON', async () => {
    const h = await setUp(1);
    const shard = h.fake.shardsOf(h.streamArn)[0]!.shardId;
    h.fake.appendGenerated(shard, { count: 10 });
    const all = storedSequenceNumbers(h.fake, shard);
    const checkpoint = await checkpointAt(h.streamArn, shard, all[2]!);
    h.fake.trimRecords(shard, 6);

    const batches = await readAll(h.options({ checkpoint, onTrimmed: 'skip' }));
    expect(sequenceNumbers(batches)).toEqual(all.slice(6));
    expect(h.events.filter((e) => e.type === 'trimmed')).toEqual([
      { type: 'trimmed', shardId: shard, message: expect.stringContaining(all[2]!) },
    ]);
  });

  it('records trimmed under a held iterator: fail naming the last record read, or skip to TRIM_HORIZON', async () => {
    for (const onTrimmed of ['fail', 'skip'] as const) {
      const h = await setUp(1);
      const shard = h.fake.shardsOf(h.streamArn)[0]!.shardId;
      h.fake.appendGenerated(shard, { count: 12 });
      const all = storedSequenceNumbers(h.fake, shard);
      const batches: ShardBatch[] = [];
      let error: Error | undefined;
      try {
        for await (const batch of readStream(h.options({ pageSize: 3, concurrency: 1, onTrimmed }))) {
          batches.push(batch);
          // While the consumer holds the first page, the records after it age out.
          if (batches.length === 1) h.fake.trimRecords(shard, 8);
        }
      } catch (caught) {
        error = caught as Error;
      }
      const read = sequenceNumbers(batches);
      if (onTrimmed === 'fail') {
        expect(error).toBeInstanceOf(TrimmedPositionError);
        expect(error).toMatchObject({ shardId: shard, point: { kind: 'after-read', lastRead: read[read.length - 1] } });
      } else {
        expect(error).toBeUndefined();
        // Everything still there after what was read is delivered once; nothing before it twice.
        expect(read.slice(-4)).toEqual(all.slice(8));
        expect(new Set(read).size).toBe(read.length);
        expect(h.events.some((e) => e.type === 'trimmed')).toBe(true);
      }
      await h.close();
    }
  });

  it('a shard aging out of the stream while read: fail as trimmed (not as a stream gone), or skip on to its children', async () => {
    for (const onTrimmed of ['fail', 'skip'] as const) {
      const h = await setUp(1);
      const parent = h.fake.shardsOf(h.streamArn)[0]!.shardId;
      h.fake.appendGenerated(parent, { count: 12 });
      const [child] = h.fake.split(parent, 1);
      h.fake.appendGenerated(child!, { count: 3 });
      const batches: ShardBatch[] = [];
      let error: Error | undefined;
      try {
        for await (const batch of readStream(h.options({ pageSize: 3, concurrency: 1, onTrimmed }))) {
          batches.push(batch);
          // A day behind: the parent passes the retention while its first page is handled.
          if (batches.length === 1) h.fake.dropShard(parent);
        }
      } catch (caught) {
        error = caught as Error;
      }
      if (onTrimmed === 'fail') {
        expect(error).toBeInstanceOf(TrimmedPositionError);
        expect(error).toMatchObject({ shardId: parent, point: { kind: 'after-read' } });
      } else {
        expect(error).toBeUndefined();
        expect(sequenceNumbers(batches, parent)).toEqual(storedSequenceNumbers(h.fake, parent).slice(0, 3));
        expect(sequenceNumbers(batches, child)).toEqual(storedSequenceNumbers(h.fake, child!));
        expect(h.events.filter((e) => e.type === 'trimmed').map((e) => e.type === 'trimmed' && e.shardId)).toEqual([parent]);
      }
      await h.close();
    }
  });

  it('the stream deleted mid-run: a StreamGoneError naming it', async () => {
    const h = await setUp(1);
    const shard = h.fake.shardsOf(h.streamArn)[0]!.shardId;
    h.fake.appendGenerated(shard, { count: 3 });
    const controller = new AbortController();
    const run = (async () => {
      const batches: ShardBatch[] = [];
      for await (const batch of readStream(h.options({ follow: true, signal: controller.signal }))) {
        batches.push(batch);
        h.fake.deleteStream(h.streamArn);
      }
      return batches;
    })();
    const timer = setTimeout(() => controller.abort(), 5_000);
    const error = await run.then(() => undefined, (e: unknown) => e as Error);
    clearTimeout(timer);
    expect(error).toBeInstanceOf(StreamGoneError);
    expect(error).toMatchObject({ streamArn: h.streamArn });
    expect((error!.cause as Error).name).toBe('ResourceNotFoundException');
  });

  it('the stream deleted mid-run: what was already read is handed over before the error', async () => {
    const h = await setUp();
    const shards = h.fake.addRootShards(h.streamArn, 3, { lazy: { count: 3 } });
    const iterator = readStream(h.options({ follow: true, concurrency: 3 }))[Symbol.asyncIterator]();
    const batches: ShardBatch[] = [(await iterator.next()).value!];
    // The consumer is busy while every shard's records arrive; then the table goes.
    await waitFor(() => h.fake.log.entries({ action: 'GetRecords' }).filter((e) => e.records).length === 3, 5_000, 'all shards read');
    h.fake.deleteStream(h.streamArn);
    await waitFor(() => h.fake.log.count({ outcome: 'ResourceNotFoundException' }) > 0, 5_000, 'the readers to notice');
    await delay(20);
    let error: Error | undefined;
    try {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) batches.push(next.value);
    } catch (caught) {
      error = caught as Error;
    }
    expect(error).toBeInstanceOf(StreamGoneError);
    expectExactlyOnce(h.fake, batches, shards);
  });

  it('the stream disabled mid-run: everything it holds is read, then a StreamDisabledError', async () => {
    const h = await setUp();
    const shards = h.fake.addRootShards(h.streamArn, 2, { lazy: { count: 4 } });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 5_000);
    const batches: ShardBatch[] = [];
    let error: Error | undefined;
    try {
      for await (const batch of readStream(h.options({ follow: true, pageSize: 2, signal: controller.signal }))) {
        batches.push(batch);
        if (batches.length === 1) {
          // Switched off: the shards close where they are, after a last write.
          h.fake.appendGenerated(shards[1]!, { count: 2 });
          h.fake.disableStream(h.streamArn);
        }
      }
    } catch (caught) {
      error = caught as Error;
    } finally {
      clearTimeout(timer);
    }
    expect(controller.signal.aborted).toBe(false);
    expectExactlyOnce(h.fake, batches, shards);
    expect(error).toBeInstanceOf(StreamDisabledError);
    expect(error).toMatchObject({ streamArn: h.streamArn, table: 'T' });
  });

  it('the endpoint going away: gives up once the retry time is up', async () => {
    const h = await setUp(1);
    const shard = h.fake.shardsOf(h.streamArn)[0]!.shardId;
    h.fake.appendGenerated(shard, { count: 3 });
    const started = Date.now();
    let stoppedAt = 0;
    const { error, batches } = await (async () => {
      const got: ShardBatch[] = [];
      try {
        for await (const batch of readStream(h.options({ follow: true, retry: { baseMs: 5, maxDelayMs: 50, giveUpAfterMs: 400 } }))) {
          got.push(batch);
          if (!stoppedAt) {
            stoppedAt = Date.now();
            void h.fake.close();
          }
        }
      } catch (caught) {
        return { error: caught as Error, batches: got };
      }
      throw new Error('the reader ended without an error');
    })();
    expect(sequenceNumbers(batches)).toEqual(storedSequenceNumbers(h.fake, shard));
    expect(error).toBeInstanceOf(GaveUpRetryingError);
    expect(error).toMatchObject({ failure: 'unreachable', afterMs: 400 });
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(400);
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(h.events.some((e) => e.type === 'backoff' && e.reason.startsWith('unreachable'))).toBe(true);
  });

  it('empty pages on an open shard are not errors, and not the tip', async () => {
    const h = await setUp(1);
    const shard = h.fake.shardsOf(h.streamArn)[0]!.shardId;
    h.fake.appendGenerated(shard, { count: 9 });
    // The service may answer empty pages with records further on: without follow, keep going.
    h.fake.faults.emptyPages(2);
    const batches = await readAll(h.options({ pageSize: 4 }));
    expect(sequenceNumbers(batches)).toEqual(storedSequenceNumbers(h.fake, shard));

    h.fake.faults.emptyPages(5);
    const followed = await followUntil(h.options({ pageSize: 4 }), (all) => sequenceNumbers(all).length >= 9);
    expect(sequenceNumbers(followed)).toEqual(storedSequenceNumbers(h.fake, shard));
    expect(h.fake.faults.pending()).toBe(0);
  });
});
