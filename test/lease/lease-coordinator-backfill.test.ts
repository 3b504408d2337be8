import { afterEach, describe, expect, it } from 'vitest';
import { LeaseCoordinator } from '../../src/lease/lease-coordinator.js';
import { LeaseTable } from '../../src/lease/lease-table.js';
import { joinScan, newSegmentLease, segmentLeaseKeys } from '../../src/lease/scan-leases.js';
import type { AssignableShard, ShardTurn } from '../../src/stream/shard-assignment.js';
import { useDynamoDbLocal } from '../helpers/dynamodb-local.js';

const local = useDynamoDbLocal();

/** Short, so that rounds (a third of it) come quickly; the tests wait on the table, not on time. */
const LEASE_MS = 900;
const ARN = 'arn:stream';
const shard: AssignableShard = { shardId: 'shard-1', parentListed: false, initial: { skip: false, position: { type: 'TRIM_HORIZON' } } };

const coordinators: LeaseCoordinator[] = [];
afterEach(async () => {
  for (const coordinator of coordinators.splice(0)) await coordinator.stop();
});

async function scanningWorker(segments: number): Promise<{ table: LeaseTable; w1: LeaseCoordinator; keys: string[] }> {
  const table = new LeaseTable(local.dynamodb, local.tableName('backfill'));
  await table.ensure();
  const scan = await joinScan(table, { startedAt: new Date(), totalSegments: segments }, ARN);
  const keys = segmentLeaseKeys(scan);
  const w1 = new LeaseCoordinator({ table, streamArn: ARN, workerId: 'w1', leaseDurationMs: LEASE_MS, follow: true, onError: (error) => { throw error; } });
  coordinators.push(w1);
  await w1.start();
  await w1.enlist(keys.map((key) => newSegmentLease(key, ARN)));
  return { table, w1, keys };
}

const signal = new AbortController().signal;
const rounds = (count: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, (LEASE_MS / 3) * count));

describe('LeaseCoordinator with a backfill', () => {
  it('hands out the segments it holds, and gives no shard its turn until every segment is finished', async () => {
    const { w1, keys } = await scanningWorker(2);
    expect(await w1.next(keys, signal)).toBe(keys[0]);
    expect(await w1.next(keys, signal)).toBe(keys[1]);
    let turn: ShardTurn | undefined;
    void w1.turn(shard, signal).then((t) => (turn = t));
    for (const key of keys) {
      w1.checkpoint(key, '{"items":5}', false);
      w1.checkpoint(key, undefined, true);
      await w1.flush();
      await w1.stopped(key, { how: 'end' });
      await rounds(2);
      // The other segment is not finished yet: the stream waits.
      if (key === keys[0]) expect(turn).toBeUndefined();
    }
    expect(await w1.next(keys, signal)).toBeUndefined();
    await rounds(3);
    expect(turn).toEqual({ read: true, start: { type: 'TRIM_HORIZON' } });
  }, 20_000);

  it('hands a segment asked for over once the position of its last page is checkpointed, and the next owner continues there', async () => {
    const { table, w1, keys } = await scanningWorker(1);
    const key = keys[0]!;
    expect(await w1.next(keys, signal)).toBe(key);
    const seen = (await table.get(key))!;
    expect(await table.requestHandoff(seen, 'w2')).toBe(true);
    await rounds(2);
    expect(w1.holds(key)).toBe(false);
    const position = '{"items":20,"after":{"pk":{"S":"k20"}}}';
    const stopped = w1.stopped(key, { how: 'lost', lastRead: position });
    await rounds(3);
    expect((await table.get(key))!.leaseOwner).toBe('w1');
    w1.checkpoint(key, '{"items":10,"after":{"pk":{"S":"k10"}}}', false);
    await rounds(2);
    expect((await table.get(key))!.leaseOwner).toBe('w1');
    w1.checkpoint(key, position, false);
    await stopped;
    expect(await table.get(key)).toMatchObject({ leaseOwner: 'w2', checkpoint: position });
  }, 20_000);
});
