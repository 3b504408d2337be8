import { describe, expect, it } from 'vitest';
import { SeveralStreamsProgress } from '../../src/session/stream-progress.js';
import type { SelectedBatch } from '../../src/stream/select-records.js';
import type { StreamRecord } from '../../src/records/record.js';
import { record } from '../render/fixtures.js';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const HOUR = 3_600_000;

/** A page of `count` records of `shardId`, the last one `ageMs` old; `short`: the shard is at its tip. */
function page(shardId: string, count: number, ageMs: number, short = false): SelectedBatch {
  const records: StreamRecord[] = Array.from({ length: count }, () => record({ eventName: 'INSERT', shardId, time: new Date(NOW - ageMs) }));
  return { shardId, records, end: false, source: { shardId, records, end: false, caughtUp: short } };
}

describe('SeveralStreamsProgress', () => {
  it('keeps each stream\'s shards, records and lag apart, in the order the streams were given', () => {
    const progress = new SeveralStreamsProgress(['Users', 'Orders'], () => NOW);
    expect(progress.snapshot()).toEqual([{ name: 'Users', records: 0, shardsReading: 0 }, { name: 'Orders', records: 0, shardsReading: 0 }]);
    progress.onEvent(0, { type: 'describe', shards: 3, open: 1, closed: 2 });
    progress.onEvent(1, { type: 'describe', shards: 1, open: 1, closed: 0 });
    progress.onEvent(0, { type: 'shard-start', shardId: 'u-1', from: 'TRIM_HORIZON' });
    progress.onEvent(0, { type: 'shard-start', shardId: 'u-2', from: 'TRIM_HORIZON' });
    progress.onEvent(1, { type: 'shard-start', shardId: 'o-1', from: 'TRIM_HORIZON' });
    progress.taken(0, page('u-1', 1000, 2 * HOUR));
    progress.taken(1, page('o-1', 5, 0, true));
    expect(progress.snapshot()).toEqual([
      { name: 'Users', records: 1000, shards: { total: 3, open: 1, closed: 2 }, shardsReading: 2, lagMs: 2 * HOUR },
      { name: 'Orders', records: 5, shards: { total: 1, open: 1, closed: 0 }, shardsReading: 1, lagMs: 0 },
    ]);
  });

  it('follows a stream\'s shards ending and its reader reaching the tip', () => {
    const progress = new SeveralStreamsProgress(['Users', 'Orders'], () => NOW);
    progress.onEvent(0, { type: 'shard-start', shardId: 'u-1', from: 'TRIM_HORIZON' });
    progress.taken(0, page('u-1', 10, HOUR));
    expect(progress.snapshot()[0]).toMatchObject({ shardsReading: 1, lagMs: HOUR });
    // The reader finds the tip right after the last record the consumer took (the fixture's sequence number).
    progress.onEvent(0, { type: 'shard-tip', shardId: 'u-1', through: '000000000000000000101' });
    expect(progress.snapshot()[0]!.lagMs).toBe(0);
    progress.onEvent(0, { type: 'shard-end', shardId: 'u-1' });
    expect(progress.snapshot()[0]).toMatchObject({ shardsReading: 0, lagMs: 0 });
    // The other stream heard nothing of it.
    expect(progress.snapshot()[1]).toEqual({ name: 'Orders', records: 0, shardsReading: 0 });
  });
});
