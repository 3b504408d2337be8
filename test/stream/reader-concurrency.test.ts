import { afterEach, describe, expect, it } from 'vitest';
import { readStream } from '../../src/stream/reader.js';
import type { CallLogEntry } from '../fake-streams/index.js';
import { closeAll, delay, expectExactlyOnce, followUntil, readAll, sequenceNumbers, setUp } from './harness.js';

afterEach(closeAll);

/** The most calls that were in flight at one moment (server-side arrival and answer times). */
function maxInFlight(entries: CallLogEntry[]): number {
  const edges = entries.flatMap((e) => [
    { at: e.startedAt, step: 1 },
    { at: e.endedAt ?? Infinity, step: -1 },
  ]);
  // Answers before arrivals at the same millisecond: touching calls did not overlap.
  edges.sort((a, b) => a.at - b.at || a.step - b.step);
  let now = 0;
  let max = 0;
  for (const edge of edges) {
    now += edge.step;
    max = Math.max(max, now);
  }
  return max;
}

describe('reader: concurrency and flow control', () => {
  it('never has two reads of one shard in flight, and at most `concurrency` calls overall', async () => {
    const h = await setUp();
    const shards = h.fake.addRootShards(h.streamArn, 12, { lazy: { count: 20 }, closed: true });
    h.fake.faults.setLatency(15, { actions: ['GetRecords', 'GetShardIterator'] });
    // More than one reader on a shard is refused, as the service throttles a crowd.
    h.fake.faults.setMaxReadersPerShard(1);

    const batches = await readAll(h.options({ pageSize: 5, concurrency: 3 }));
    expectExactlyOnce(h.fake, batches, shards);
    expect(h.fake.log.maxConcurrentReaders()).toBe(1);
    expect(h.fake.log.count({ outcome: 'LimitExceededException' })).toBe(0);
    const reads = h.fake.log.entries().filter((e) => e.action === 'GetRecords' || e.action === 'GetShardIterator');
    const peak = maxInFlight(reads);
    expect(peak).toBeLessThanOrEqual(3);
    expect(peak).toBe(3); // the bound is used, not just respected
    for (const shard of shards) {
      // Per shard, each call starts after the previous one was answered.
      const own = reads.filter((e) => e.shardId === shard);
      for (let i = 1; i < own.length; i++) expect(own[i]!.startedAt).toBeGreaterThanOrEqual(own[i - 1]!.endedAt!);
    }
  });

  it('polls an idle open shard about 4 times a second by default, never in a busy loop', async () => {
    const h = await setUp(1);
    const shard = h.fake.shardsOf(h.streamArn)[0]!.shardId;
    const controller = new AbortController();
    const options = { ...h.options({ follow: true, signal: controller.signal }), pollIntervalMs: undefined };
    const started = Date.now();
    setTimeout(() => controller.abort(), 1_200);
    expect(await readAll(options)).toEqual([]);
    const seconds = (Date.now() - started) / 1000;
    const polls = h.fake.log.count({ action: 'GetRecords', shardId: shard });
    expect(polls / seconds).toBeLessThanOrEqual(4.5);
    expect(polls).toBeGreaterThanOrEqual(3);
  });

  it('does not fetch far ahead of a paused consumer', async () => {
    const h = await setUp();
    const shards = h.fake.addRootShards(h.streamArn, 2, { lazy: { count: 400 }, closed: true });
    const concurrency = 2;
    const iterator = readStream(h.options({ pageSize: 10, concurrency }))[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    // Wait until the readers stall (two samples 150 ms apart agree), however busy the machine.
    let whilePaused = -1;
    for (let sample = h.fake.log.count({ action: 'GetRecords' }); sample !== whilePaused; sample = h.fake.log.count({ action: 'GetRecords' })) {
      whilePaused = sample;
      await delay(150);
    }
    await delay(200);
    // Stalled: nothing more is fetched while nobody reads.
    expect(h.fake.log.count({ action: 'GetRecords' })).toBe(whilePaused);
    // A bounded queue of pages, plus one page in hand per reader.
    expect(whilePaused).toBeLessThanOrEqual(2 * concurrency + concurrency + 1);

    const batches = [first.value!];
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) batches.push(next.value);
    expectExactlyOnce(h.fake, batches, shards);
    expect(sequenceNumbers(batches)).toHaveLength(800);
  });

  it('reads many shards at once without Node warnings about listeners', async () => {
    const h = await setUp();
    const shards = h.fake.addRootShards(h.streamArn, 24, { lazy: { count: 2 } });
    h.fake.faults.setLatency(10, { actions: ['GetRecords'] });
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      const batches = await followUntil(h.options({ concurrency: 16 }), (all) => sequenceNumbers(all).length >= 48);
      expectExactlyOnce(h.fake, batches, shards);
      await delay(50);
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => /MaxListeners/.test(w))).toEqual([]);
  });
});
