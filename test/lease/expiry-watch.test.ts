import { describe, expect, it } from 'vitest';
import { ExpiryWatch } from '../../src/lease/expiry-watch.js';
import type { Lease } from '../../src/lease/lease.js';

const lease = (leaseCounter: number, leaseOwner?: string): Lease => ({
  leaseKey: 's1', leaseCounter, checkpoint: 'TRIM_HORIZON', checkpointSubSequenceNumber: 0, ownerSwitchesSinceCheckpoint: 0, parentShardIds: [], ...(leaseOwner ? { leaseOwner } : {}),
});

describe('ExpiryWatch', () => {
  it('expires a lease whose counter stood still for the lease duration, as this machine counts time', () => {
    const watch = new ExpiryWatch(10_000);
    watch.observe([lease(5, 'a')], 0);
    expect(watch.isExpired(lease(5, 'a'), 9_000)).toBe(false);
    watch.observe([lease(6, 'a')], 9_000); // renewed
    expect(watch.isExpired(lease(6, 'a'), 18_000)).toBe(false);
    watch.observe([lease(6, 'a')], 19_500);
    expect(watch.isExpired(lease(6, 'a'), 19_500)).toBe(true);
  });

  it('counts a free lease seen for the first time as never renewed', () => {
    const watch = new ExpiryWatch(10_000);
    watch.observe([lease(0)], 0);
    expect(watch.isExpired(lease(0), 0)).toBe(true);
  });
});
