import { describe, expect, it } from 'vitest';
import { LeaseOfUnknownShardError, NotALeaseTableError } from '../../src/lease/errors.js';
import type { Lease } from '../../src/lease/lease.js';
import { LeaseTable } from '../../src/lease/lease-table.js';
import {
  backfillUnderWay,
  isBackfillKey,
  joinScan,
  newSegmentLease,
  pickSegment,
  recordedScan,
  SCAN_ITEM_KEY,
  scanItem,
  scanProgressOf,
  segmentLeaseKey,
  segmentLeaseKeys,
  segmentOfLeaseKey,
} from '../../src/lease/scan-leases.js';
import { useDynamoDbLocal } from '../helpers/dynamodb-local.js';

const ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/T/stream/L';
const STARTED = new Date('2026-11-26T22:30:00.000Z');
const scan = { startedAt: STARTED, totalSegments: 3 };
const keys = segmentLeaseKeys(scan);
const table = (...leases: Lease[]): Map<string, Lease> => new Map(leases.map((l) => [l.leaseKey, l]));
const segment = (index: number, checkpoint: string, leaseOwner?: string): Lease => ({
  ...newSegmentLease(keys[index]!, ARN), checkpoint, ...(leaseOwner ? { leaseOwner } : {}),
});

describe('segment lease keys', () => {
  it('name the segment and the count, and read back; no shard id passes for one', () => {
    expect(segmentLeaseKey(3, 8)).toBe('scan-segment-3-of-8');
    expect(segmentOfLeaseKey('scan-segment-3-of-8')).toEqual({ segment: 3, totalSegments: 8 });
    expect(segmentOfLeaseKey('scan-segment-3')).toBeUndefined();
    expect(segmentOfLeaseKey('shardId-00000001714000000000-1a2b3c4d')).toBeUndefined();
    expect(keys).toEqual(['scan-segment-0-of-3', 'scan-segment-1-of-3', 'scan-segment-2-of-3']);
    expect(isBackfillKey('scan-segment-0-of-3')).toBe(true);
    expect(isBackfillKey(SCAN_ITEM_KEY)).toBe(true);
    expect(isBackfillKey('shardId-00000001714000000000-1a2b3c4d')).toBe(false);
  });

  it('begin at TRIM_HORIZON, free, with no parent', () => {
    expect(newSegmentLease('scan-segment-0-of-3', ARN)).toEqual({
      leaseKey: 'scan-segment-0-of-3', leaseCounter: 0, checkpoint: 'TRIM_HORIZON', checkpointSubSequenceNumber: 0,
      ownerSwitchesSinceCheckpoint: 0, parentShardIds: [], streamArn: ARN,
    });
  });
});

describe('the scan item', () => {
  it('records the start and the segment count, and reads as finished (nothing to take)', () => {
    const item = scanItem(scan, ARN);
    expect(item).toMatchObject({ leaseKey: 'scan-started', checkpoint: 'SHARD_END', scanStartedAt: '2026-11-26T22:30:00.000Z', scanSegments: 3, streamArn: ARN });
    expect(recordedScan(item)).toEqual(scan);
    expect(recordedScan({ ...item, scanStartedAt: 'yesterday' })).toBeUndefined();
    expect(recordedScan({ ...item, scanSegments: 0 })).toBeUndefined();
    expect(recordedScan(segment(0, 'TRIM_HORIZON'))).toBeUndefined();
  });
});

describe('backfillUnderWay and scanProgressOf', () => {
  it('hold the stream back until every segment of the recorded scan is finished', () => {
    const item = scanItem(scan, ARN);
    expect(backfillUnderWay(table())).toBe(false);
    // Recorded, segments not written yet: under way.
    expect(backfillUnderWay(table(item))).toBe(true);
    const twoDone = table(item, segment(0, 'SHARD_END'), segment(1, '{"items":4}', 'w1'), segment(2, 'SHARD_END'));
    expect(backfillUnderWay(twoDone)).toBe(true);
    expect(scanProgressOf(twoDone)).toEqual({ scan, done: 2 });
    expect(backfillUnderWay(table(item, segment(0, 'SHARD_END'), segment(1, 'SHARD_END'), segment(2, 'SHARD_END')))).toBe(false);
    expect(scanProgressOf(table(segment(0, 'SHARD_END')))).toBeUndefined();
  });
});

describe('pickSegment', () => {
  const mine = (...held: number[]) => (key: string) => held.map((i) => keys[i]).includes(key);

  it('picks the first segment held here and not read yet', () => {
    const leases = table(segment(0, 'SHARD_END'), segment(1, 'TRIM_HORIZON', 'me'), segment(2, '{"items":4}', 'me'));
    expect(pickSegment(keys, leases, mine(1, 2), new Set())).toBe(keys[1]);
    expect(pickSegment(keys, leases, mine(1, 2), new Set([keys[1]!]))).toBe(keys[2]);
  });

  it('waits while the rest are read elsewhere, not taken or not written; done once all are finished', () => {
    expect(pickSegment(keys, table(segment(0, 'SHARD_END'), segment(1, 'TRIM_HORIZON', 'other')), mine(), new Set())).toBe('wait');
    expect(pickSegment(keys, table(segment(0, 'SHARD_END'), segment(1, 'SHARD_END'), segment(2, 'TRIM_HORIZON')), mine(), new Set())).toBe('wait');
    expect(pickSegment(keys, table(segment(0, 'SHARD_END'), segment(1, 'SHARD_END')), mine(), new Set())).toBe('wait');
    expect(pickSegment(keys, table(segment(0, 'SHARD_END'), segment(1, 'SHARD_END'), segment(2, 'SHARD_END')), mine(), new Set())).toBe('done');
  });
});

describe('joinScan on DynamoDB Local', () => {
  const local = useDynamoDbLocal();

  it('records the first worker\'s scan once; later workers get that one', async () => {
    const leases = new LeaseTable(local.dynamodb, local.tableName('join'));
    await leases.ensure();
    const [a, b] = await Promise.all([
      joinScan(leases, { startedAt: STARTED, totalSegments: 4 }, ARN),
      joinScan(leases, { startedAt: new Date(STARTED.getTime() + 5_000), totalSegments: 8 }, ARN),
    ]);
    expect(a).toEqual(b);
    expect(await joinScan(leases, { startedAt: new Date(), totalSegments: 2 }, ARN)).toEqual(a);
    expect(recordedScan(await leases.get(SCAN_ITEM_KEY))).toEqual(a);
  });

  it('refuses the scan of another stream, and a scan item that records nothing', async () => {
    const leases = new LeaseTable(local.dynamodb, local.tableName('join'));
    await leases.ensure();
    await joinScan(leases, scan, ARN);
    const other = `${ARN}-other`;
    await expect(joinScan(leases, scan, other)).rejects.toBeInstanceOf(LeaseOfUnknownShardError);
    const damaged = new LeaseTable(local.dynamodb, local.tableName('join'));
    await damaged.ensure();
    await damaged.create({ ...scanItem(scan, ARN), scanSegments: 0 });
    await expect(joinScan(damaged, scan, ARN)).rejects.toBeInstanceOf(NotALeaseTableError);
  });
});
