import { describe, expect, it } from 'vitest';
import type { Lease } from '../../src/lease/lease.js';
import { leasesToDelete } from '../../src/lease/lease-cleanup.js';

const lease = (leaseKey: string, checkpoint: string, extra: Partial<Lease> = {}): Lease => ({
  leaseKey, checkpoint, leaseCounter: 3, checkpointSubSequenceNumber: 0, ownerSwitchesSinceCheckpoint: 0, parentShardIds: [], ...extra,
});

describe('leasesToDelete', () => {
  it('picks finished leases of shards no longer listed that no listed shard descends from', () => {
    const leases = [
      lease('gone', 'SHARD_END'),
      lease('parent', 'SHARD_END'),
      lease('child', 'TRIM_HORIZON', { parentShardIds: ['parent'] }),
      lease('listed-done', 'SHARD_END'),
      lease('gone-open', '4900000000000000000001'),
      lease('gone-held', 'SHARD_END', { leaseOwner: 'w1' }),
      lease('scan-segment-0-of-4', 'SHARD_END'),
    ];
    const known = new Set(['child', 'listed-done']);
    expect(leasesToDelete(leases, known, 25).map((l) => l.leaseKey)).toEqual(['gone']);
  });

  it('takes at most the limit in one round', () => {
    const leases = Array.from({ length: 30 }, (_, i) => lease(`gone-${i}`, 'SHARD_END'));
    expect(leasesToDelete(leases, new Set(['other']), 25)).toHaveLength(25);
  });
});
