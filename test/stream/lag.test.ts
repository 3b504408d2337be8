import { afterEach, describe, expect, it } from 'vitest';
import { StreamLag } from '../../src/stream/lag.js';
import { readStream } from '../../src/stream/reader.js';
import type { StreamRecord } from '../../src/records/record.js';
import { closeAll, setUp } from './harness.js';

afterEach(closeAll);

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);

function rec(shardId: string, sequenceNumber: string, time: number): StreamRecord {
  return {
    streamArn: 'arn', table: 'T', shardId, sequenceNumber, eventId: sequenceNumber, eventName: 'INSERT', eventVersion: '1.1',
    awsRegion: 'r', time: new Date(time), keys: {}, sizeBytes: 1,
  };
}

describe('StreamLag', () => {
  it('knows nothing until a page or a tip arrives, then is now minus the last record read, largest over shards', () => {
    const lag = new StreamLag(() => NOW);
    expect(lag.behindMs()).toBeUndefined();
    lag.observe({ shardId: 'a', records: [rec('a', '1', NOW - 3 * HOUR), rec('a', '2', NOW - 2 * HOUR)], end: false, caughtUp: false });
    expect(lag.behindMs()).toBe(2 * HOUR);
    lag.observe({ shardId: 'b', records: [rec('b', '5', NOW - 5 * HOUR)], end: false, caughtUp: false });
    expect(lag.behindMs()).toBe(5 * HOUR);
    lag.observe({ shardId: 'b', records: [rec('b', '6', NOW - HOUR)], end: false, caughtUp: false });
    expect(lag.behindMs()).toBe(2 * HOUR);
    expect(lag.largestMs).toBe(5 * HOUR);
  });

  it('is zero for a shard at its tip: a short page, or the reader finding the tip after the last record taken', () => {
    const lag = new StreamLag(() => NOW);
    lag.observe({ shardId: 'a', records: [rec('a', '1', NOW - HOUR)], end: false, caughtUp: true });
    expect(lag.behindMs()).toBe(0);
    lag.observe({ shardId: 'b', records: [rec('b', '1', NOW - HOUR)], end: false, caughtUp: false });
    expect(lag.behindMs()).toBe(HOUR);
    lag.onEvent({ type: 'shard-tip', shardId: 'b', through: '1' });
    expect(lag.behindMs()).toBe(0);
    lag.onEvent({ type: 'shard-tip', shardId: 'c' });
    expect(lag.behindMs()).toBe(0);
  });

  it('waits for the consumer: a tip found past pages it has not taken yet counts once it takes them', () => {
    const lag = new StreamLag(() => NOW);
    lag.observe({ shardId: 'a', records: [rec('a', '1', NOW - 3 * HOUR)], end: false, caughtUp: false });
    lag.onEvent({ type: 'shard-tip', shardId: 'a', through: '3' });
    expect(lag.behindMs()).toBe(3 * HOUR);
    lag.observe({ shardId: 'a', records: [rec('a', '2', NOW - 2 * HOUR)], end: false, caughtUp: false });
    expect(lag.behindMs()).toBe(2 * HOUR);
    lag.observe({ shardId: 'a', records: [rec('a', '3', NOW - HOUR)], end: false, caughtUp: false });
    expect(lag.behindMs()).toBe(0);
  });

  it('forgets finished shards', () => {
    const lag = new StreamLag(() => NOW);
    lag.observe({ shardId: 'a', records: [rec('a', '1', NOW - HOUR)], end: false, caughtUp: false });
    lag.observe({ shardId: 'a', records: [], end: true, caughtUp: true });
    expect(lag.behindMs()).toBe(0);
    lag.observe({ shardId: 'b', records: [rec('b', '1', NOW - HOUR)], end: false, caughtUp: false });
    lag.onEvent({ type: 'shard-end', shardId: 'b' });
    expect(lag.behindMs()).toBe(0);
    expect(lag.largestMs).toBe(HOUR);
  });

  it('grows with time while the reader takes nothing new', () => {
    let now = NOW;
    const lag = new StreamLag(() => now);
    lag.observe({ shardId: 'a', records: [rec('a', '1', NOW - HOUR)], end: false, caughtUp: false });
    now += 60_000;
    expect(lag.behindMs()).toBe(HOUR + 60_000);
  });
});

describe('StreamLag with the reader on the fake endpoint, many shards', () => {
  it('is the largest over 24 open shards while behind, and zero once every shard reached its tip', async () => {
    const h = await setUp();
    const SHARDS = 24;
    // Shard i holds 4 records an hour apart, the first i + 4 hours old: shard 23 is 27 h behind at its first record.
    const shards = Array.from({ length: SHARDS }, (_, i) => h.fake.addRootShards(h.streamArn, 1, {
      records: Array.from({ length: 4 }, (_, k) => ({
        newImage: { pk: { S: `s${i}-${k}` } }, keys: { pk: { S: `s${i}-${k}` } }, time: NOW - (i + 4 - k) * HOUR,
      })),
    })[0]!);
    const lag = new StreamLag(() => NOW);
    const seen: number[] = [];
    const options = h.options({ pageSize: 1, concurrency: 8, onEvent: (event) => lag.onEvent(event) });
    for await (const batch of readStream(options)) {
      lag.observe(batch);
      seen.push(lag.behindMs()!);
    }
    expect(seen.length).toBe(SHARDS * 4);
    // Never more than the oldest first record, which it did reach; at the end every shard is at its tip.
    expect(Math.max(...seen)).toBe((SHARDS + 3) * HOUR);
    expect(lag.largestMs).toBe((SHARDS + 3) * HOUR);
    expect(lag.behindMs()).toBe(0);
    expect(shards.length).toBe(SHARDS);
  });
});
