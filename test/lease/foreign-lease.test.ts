import { describe, expect, it } from 'vitest';
import { foreignLease } from '../../src/lease/foreign-lease.js';
import type { Lease } from '../../src/lease/lease.js';
import { newSegmentLease, scanItem } from '../../src/lease/scan-leases.js';

const ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/T/stream/L';
const lease = (leaseKey: string, checkpoint: string, extra: Partial<Lease> = {}): Lease => ({
  leaseKey, checkpoint, leaseCounter: 1, checkpointSubSequenceNumber: 0, ownerSwitchesSinceCheckpoint: 0, parentShardIds: [], ...extra,
});

describe('foreignLease', () => {
  it('passes over leases of known shards, finished ones, and children of known shards', () => {
    const leases = [lease('s1', '4900'), lease('gone', 'SHARD_END'), lease('child', 'TRIM_HORIZON', { parentShardIds: ['s1'] })];
    expect(foreignLease(leases, new Set(['s1']), 'g', ARN)).toBeUndefined();
  });

  it('names an unfinished lease of a shard the stream does not have', () => {
    const found = foreignLease([lease('s9', '4900')], new Set(['s1']), 'g', ARN);
    expect(found).toMatchObject({ table: 'g', shardId: 's9', streamArn: ARN });
  });

  it('passes over a backfill\'s segments and scan item, even for a worker that does not scan', () => {
    const leases = [newSegmentLease('scan-segment-0-of-2', ARN), { ...newSegmentLease('scan-segment-1-of-2', ARN), checkpoint: '{"items":3}' }, scanItem({ startedAt: new Date(), totalSegments: 2 }, ARN)];
    expect(foreignLease(leases, new Set(['s1']), 'g', ARN)).toBeUndefined();
  });

  it('names any lease of another stream, a backfill\'s included', () => {
    const found = foreignLease([newSegmentLease('scan-segment-0-of-2', `${ARN}-other`)], new Set(['s1']), 'g', ARN);
    expect(found).toMatchObject({ shardId: 'scan-segment-0-of-2', leaseStream: `${ARN}-other` });
  });
});
