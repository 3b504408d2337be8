import { describe, expect, it } from 'vitest';
import type { Lease } from '../../src/lease/lease.js';
import { decideTurn, newLease, startOf } from '../../src/lease/shard-turn.js';
import type { AssignableShard } from '../../src/stream/shard-assignment.js';

const ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/T/stream/L';
const shard = (shardId: string, parentShardId?: string, parentListed = true): AssignableShard => ({
  shardId, ...(parentShardId ? { parentShardId } : {}), parentListed, initial: { skip: false, position: { type: 'TRIM_HORIZON' } },
});
const lease = (leaseKey: string, checkpoint: string, extra: Partial<Lease> = {}): Lease => ({
  leaseKey, checkpoint, leaseCounter: 1, checkpointSubSequenceNumber: 0, ownerSwitchesSinceCheckpoint: 0, parentShardIds: [], ...extra,
});
const table = (...leases: Lease[]): Map<string, Lease> => new Map(leases.map((l) => [l.leaseKey, l]));
const follow = { follow: true, startedAt: 1000 };
const once = { follow: false, startedAt: 1000 };

describe('decideTurn', () => {
  it('reads a held shard right after its checkpoint', () => {
    expect(decideTurn(shard('s1'), table(lease('s1', '4900000000000000000007')), true, follow))
      .toEqual({ read: true, start: { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '4900000000000000000007' } });
  });

  it('waits while the shard is not held, or its lease not yet written', () => {
    expect(decideTurn(shard('s1'), table(lease('s1', 'TRIM_HORIZON')), false, follow)).toBe('wait');
    expect(decideTurn(shard('s1'), table(), true, follow)).toBe('wait');
  });

  it('holds a child back until its parent is SHARD_END, and reads it from TRIM_HORIZON then', () => {
    const child = lease('c', 'TRIM_HORIZON', { parentShardIds: ['p'] });
    expect(decideTurn(shard('c', 'p'), table(child, lease('p', '4900000000000000000007')), true, follow)).toBe('wait');
    expect(decideTurn(shard('c', 'p'), table(child, lease('p', 'SHARD_END')), true, follow)).toEqual({ read: true, start: { type: 'TRIM_HORIZON' } });
  });

  it('takes a parent that is no longer listed and has no lease as trimmed', () => {
    expect(decideTurn(shard('c', 'p', false), table(lease('c', 'TRIM_HORIZON')), true, follow)).toEqual({ read: true, start: { type: 'TRIM_HORIZON' } });
    expect(decideTurn(shard('c', 'p', true), table(lease('c', 'TRIM_HORIZON')), true, follow)).toBe('wait');
  });

  it('leaves finished shards, and without --follow shards read to their tip since the run began', () => {
    expect(decideTurn(shard('s1'), table(lease('s1', 'SHARD_END')), true, follow)).toEqual({ read: false });
    const tip = lease('s1', '4900000000000000000007', { readToTipAt: 1500 });
    expect(decideTurn(shard('s1'), table(tip), true, once)).toEqual({ read: false });
    expect(decideTurn(shard('s1'), table({ ...tip, readToTipAt: 500 }), true, once)).toMatchObject({ read: true });
    expect(decideTurn(shard('s1'), table(tip), true, follow)).toMatchObject({ read: true });
    // The child of a parent read only to its tip waits for the next run.
    expect(decideTurn(shard('c', 's1'), table(tip, lease('c', 'TRIM_HORIZON')), true, once)).toEqual({ read: false });
  });

  it('leaves the grandchildren of a shard stopped in this run (at --until): their parent is never read in it', () => {
    const stopped = lease('s1', '4900000000000000000007', { readToTipAt: 1500 });
    const child = lease('c', 'TRIM_HORIZON', { parentShardIds: ['s1'] });
    const grandchild = lease('g', 'TRIM_HORIZON', { parentShardIds: ['c'] });
    expect(decideTurn(shard('g', 'c'), table(stopped, child, grandchild), true, once)).toEqual({ read: false });
    // Before the stop, or once it is from an earlier run, the grandchild waits for its parent.
    expect(decideTurn(shard('g', 'c'), table({ ...stopped, readToTipAt: 500 }, child, grandchild), true, once)).toBe('wait');
  });
});

describe('new leases', () => {
  it('begin where the run would begin the shard', () => {
    expect(newLease(shard('s1'), ARN)).toMatchObject({ leaseKey: 's1', checkpoint: 'TRIM_HORIZON', leaseCounter: 0, streamArn: ARN, parentShardIds: [] });
    expect(newLease({ ...shard('s1'), initial: { skip: true } }, ARN).checkpoint).toBe('SHARD_END');
    expect(newLease({ ...shard('s1'), initial: { skip: false, position: { type: 'LATEST' } } }, ARN).checkpoint).toBe('LATEST');
    const at = newLease({ ...shard('s1', 'p'), initial: { skip: false, position: { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: '4900000000000000000003' } } }, ARN);
    expect(at).toMatchObject({ checkpoint: 'TRIM_HORIZON', startAt: '4900000000000000000003', parentShardIds: ['p'] });
    expect(startOf(at)).toEqual({ type: 'AT_SEQUENCE_NUMBER', sequenceNumber: '4900000000000000000003' });
  });
});
