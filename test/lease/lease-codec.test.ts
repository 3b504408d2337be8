import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Lease } from '../../src/lease/lease.js';
import { itemToLease, leaseToItem } from '../../src/lease/lease-codec.js';

const sequence = fc.bigInt({ min: 10n ** 20n, max: 10n ** 39n }).map(String);
const lease: fc.Arbitrary<Lease> = fc.record({
  leaseKey: fc.string({ minLength: 1, maxLength: 60 }),
  leaseOwner: fc.option(fc.string({ minLength: 1, maxLength: 40 }), { nil: undefined }),
  leaseCounter: fc.nat(),
  checkpoint: fc.oneof(fc.constantFrom('TRIM_HORIZON', 'LATEST', 'SHARD_END'), sequence),
  checkpointSubSequenceNumber: fc.constant(0),
  ownerSwitchesSinceCheckpoint: fc.nat({ max: 1000 }),
  parentShardIds: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 30 }), { maxLength: 2 }),
  streamArn: fc.option(fc.constant('arn:aws:dynamodb:us-east-1:123456789012:table/T/stream/L'), { nil: undefined }),
  startAt: fc.option(sequence, { nil: undefined }),
  readToTipAt: fc.option(fc.nat(), { nil: undefined }),
  handoffTo: fc.option(fc.string({ minLength: 1, maxLength: 40 }), { nil: undefined }),
  renewedAt: fc.option(fc.nat(), { nil: undefined }),
  scanStartedAt: fc.option(fc.constant('2026-11-26T22:30:00.000Z'), { nil: undefined }),
  scanSegments: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }),
}, { requiredKeys: ['leaseKey', 'leaseCounter', 'checkpoint', 'checkpointSubSequenceNumber', 'ownerSwitchesSinceCheckpoint', 'parentShardIds'] });

describe('lease items', () => {
  it('read back every lease they were written from', () => {
    fc.assert(fc.property(lease, (l) => {
      const defined = Object.fromEntries(Object.entries(l).filter(([, v]) => v !== undefined));
      expect(itemToLease(leaseToItem(l))).toEqual(defined);
    }));
  });

  it('use KCL\'s attribute names and types', () => {
    const item = leaseToItem({
      leaseKey: 'shardId-0001', leaseOwner: 'w1', leaseCounter: 7, checkpoint: '49000000000000000000001',
      checkpointSubSequenceNumber: 0, ownerSwitchesSinceCheckpoint: 2, parentShardIds: ['shardId-0000'],
    });
    expect(item).toEqual({
      leaseKey: { S: 'shardId-0001' },
      leaseOwner: { S: 'w1' },
      leaseCounter: { N: '7' },
      checkpoint: { S: '49000000000000000000001' },
      checkpointSubSequenceNumber: { N: '0' },
      ownerSwitchesSinceCheckpoint: { N: '2' },
      parentShardId: { SS: ['shardId-0000'] },
    });
  });

  it('read a lease as a KCL application writes it, extra attributes and all', () => {
    const lease = itemToLease({
      leaseKey: { S: 'shardId-00000001700000000000-abcdef01' },
      leaseOwner: { S: 'host-1a2b' },
      leaseCounter: { N: '1234' },
      checkpoint: { S: 'SHARD_END' },
      checkpointSubSequenceNumber: { N: '0' },
      ownerSwitchesSinceCheckpoint: { N: '0' },
      parentShardId: { SS: ['shardId-00000001690000000000-12345678'] },
      childShardIds: { SS: ['shardId-2'] },
      startingHashKey: { S: '0' },
    });
    expect(lease).toMatchObject({ leaseKey: 'shardId-00000001700000000000-abcdef01', leaseCounter: 1234, checkpoint: 'SHARD_END', parentShardIds: ['shardId-00000001690000000000-12345678'] });
  });

  it('are not leases without a key and a counter', () => {
    expect(itemToLease({ pk: { S: 'user#1' } })).toBeUndefined();
    expect(itemToLease({ leaseKey: { S: 'x' } })).toBeUndefined();
    expect(itemToLease({ leaseKey: { N: '1' }, leaseCounter: { N: '1' } })).toBeUndefined();
  });
});
