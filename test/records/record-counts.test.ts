import { describe, expect, it } from 'vitest';
import { RecordCounts } from '../../src/records/record-counts.js';

describe('RecordCounts', () => {
  it('counts records in all, per shard (scanned items under "scan") and per event name', () => {
    const counts = new RecordCounts();
    counts.add([{ shardId: 's1', eventName: 'INSERT' }, { shardId: 's1', eventName: 'REMOVE' }]);
    counts.add([{ eventName: 'INSERT' }]);
    expect(counts.total).toBe(3);
    expect(Object.fromEntries(counts.perShard)).toEqual({ s1: 2, scan: 1 });
    expect(Object.fromEntries(counts.perEvent)).toEqual({ INSERT: 2, REMOVE: 1 });
  });
});

describe('RecordCounts of several streams', () => {
  it('counts each named stream apart as well, one that delivered nothing included', () => {
    const counts = new RecordCounts(['arn:a', 'arn:b', 'arn:c']);
    counts.add([{ shardId: 's1', streamArn: 'arn:a', eventName: 'INSERT' }, { shardId: 's2', streamArn: 'arn:b', eventName: 'MODIFY' }]);
    counts.add([{ shardId: 's1', streamArn: 'arn:a', eventName: 'REMOVE' }]);
    expect(counts.total).toBe(3);
    expect([...counts.perStream!].map(([arn, own]) => [arn, own.total, Object.fromEntries(own.perEvent)])).toEqual([
      ['arn:a', 2, { INSERT: 1, REMOVE: 1 }],
      ['arn:b', 1, { MODIFY: 1 }],
      ['arn:c', 0, {}],
    ]);
  });

  it('one stream: no per-stream counts', () => {
    expect(new RecordCounts(['arn:a']).perStream).toBeUndefined();
    expect(new RecordCounts().perStream).toBeUndefined();
  });
});
