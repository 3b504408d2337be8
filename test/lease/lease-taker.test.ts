import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Lease } from '../../src/lease/lease.js';
import { planTakes } from '../../src/lease/lease-taker.js';

function leases(owners: (string | undefined)[]): Lease[] {
  return owners.map((owner, i) => ({
    leaseKey: `shard-${i}`,
    ...(owner ? { leaseOwner: owner } : {}),
    leaseCounter: 1,
    checkpoint: 'TRIM_HORIZON',
    checkpointSubSequenceNumber: 0,
    ownerSwitchesSinceCheckpoint: 0,
    parentShardIds: [],
  }));
}
const never = (): boolean => false;

describe('planTakes', () => {
  it('takes every free lease when it is the only worker', () => {
    const plan = planTakes({ me: 'a', leases: leases([undefined, undefined, undefined]), isExpired: never });
    expect(plan.take.map((l) => l.leaseKey).sort()).toEqual(['shard-0', 'shard-1', 'shard-2']);
    expect(plan.target).toBe(3);
  });

  it('takes free leases only up to its share', () => {
    const plan = planTakes({ me: 'b', leases: leases(['a', 'a', undefined, undefined]), isExpired: never });
    expect(plan.target).toBe(2);
    expect(plan.take).toHaveLength(2);
  });

  it('takes the leases of a worker whose counters stopped, before stealing', () => {
    const all = leases(['dead', 'dead', 'a', 'a']);
    const plan = planTakes({ me: 'b', leases: all, isExpired: (l) => l.leaseOwner === 'dead' });
    expect(plan.take.map((l) => l.leaseKey).sort()).toEqual(['shard-0', 'shard-1']);
    expect(plan.steal).toEqual([]);
  });

  it('asks the most loaded worker for what it holds over the share when nothing is free', () => {
    const plan = planTakes({ me: 'c', leases: leases(['a', 'a', 'a', 'a', 'b', 'b']), isExpired: never });
    expect(plan.target).toBe(2);
    expect(plan.steal.map((l) => l.leaseOwner)).toEqual(['a', 'a']);
  });

  it('asks for one lease of a worker at its share only when it needs more than one', () => {
    expect(planTakes({ me: 'c', leases: leases(['a', 'a', 'b', 'b', 'c']), isExpired: never }).steal).toEqual([]);
    expect(planTakes({ me: 'c', leases: leases(['a', 'a', 'b', 'b']), isExpired: never }).steal).toHaveLength(1);
  });

  it('counts the leases it asked for as its own', () => {
    const all = leases(['a', 'a', 'a', 'a']);
    all[0]!.handoffTo = 'b';
    all[1]!.handoffTo = 'b';
    const plan = planTakes({ me: 'b', leases: all, isExpired: never });
    expect(plan).toMatchObject({ take: [], steal: [], target: 2 });
  });

  it('brings any number of workers to within one lease of each other', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 80 }), fc.integer({ min: 1, max: 6 }), (count, workers) => {
      const all = leases(Array.from({ length: count }, () => undefined));
      const names = Array.from({ length: workers }, (_, i) => `w${i}`);
      for (let round = 0; round < count * 4; round++) {
        for (const me of names) {
          const plan = planTakes({ me, leases: all, isExpired: never });
          for (const lease of [...plan.take, ...plan.steal]) lease.leaseOwner = me;
        }
      }
      const held = names.map((name) => all.filter((l) => l.leaseOwner === name).length);
      expect(all.every((l) => l.leaseOwner)).toBe(true);
      expect(Math.max(...held) - Math.min(...held)).toBeLessThanOrEqual(1);
    }), { numRuns: 60 });
  });
});
