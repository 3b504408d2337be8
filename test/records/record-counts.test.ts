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
