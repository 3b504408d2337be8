import { describe, expect, it } from 'vitest';
import { RecordCounts } from '../../src/records/record-counts.js';
import { statsJson } from '../../src/render/stats-json.js';

describe('statsJson', () => {
  it('is one JSON object: records per shard and per event name, and the largest lag', () => {
    const counts = new RecordCounts();
    counts.add([
      { shardId: 'shard-b', eventName: 'INSERT' },
      { shardId: 'shard-a', eventName: 'MODIFY' },
      { shardId: 'shard-a', eventName: 'INSERT' },
      { eventName: 'INSERT' },
    ]);
    const line = statsJson(counts, 8_040_000);
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({
      records: 4,
      shards: { scan: 1, 'shard-a': 2, 'shard-b': 1 },
      events: { INSERT: 3, MODIFY: 1 },
      largestLagMs: 8_040_000,
      largestLag: '2h 14m',
    });
  });
});

describe('statsJson of several streams', () => {
  it('adds the counts of each stream under "streams", by ARN', () => {
    const counts = new RecordCounts(['arn:users', 'arn:orders']);
    counts.add([
      { shardId: 'shard-u', streamArn: 'arn:users', eventName: 'INSERT' },
      { shardId: 'shard-o', streamArn: 'arn:orders', eventName: 'MODIFY' },
      { shardId: 'shard-u', streamArn: 'arn:users', eventName: 'INSERT' },
    ]);
    expect(JSON.parse(statsJson(counts, 0))).toEqual({
      records: 3,
      shards: { 'shard-o': 1, 'shard-u': 2 },
      events: { INSERT: 2, MODIFY: 1 },
      streams: {
        'arn:users': { records: 2, shards: { 'shard-u': 2 }, events: { INSERT: 2 } },
        'arn:orders': { records: 1, shards: { 'shard-o': 1 }, events: { MODIFY: 1 } },
      },
      largestLagMs: 0,
      largestLag: '0s',
    });
  });
});
