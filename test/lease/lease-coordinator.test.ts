import { afterEach, describe, expect, it } from 'vitest';
import { LeaseCoordinator } from '../../src/lease/lease-coordinator.js';
import type { Lease } from '../../src/lease/lease.js';
import { LeaseTable } from '../../src/lease/lease-table.js';
import type { AssignableShard } from '../../src/stream/shard-assignment.js';
import { useDynamoDbLocal } from '../helpers/dynamodb-local.js';

const local = useDynamoDbLocal();

/** Short, so that rounds (a third of it) come quickly; the tests wait on the table, not on time. */
const LEASE_MS = 900;

const shard: AssignableShard = { shardId: 'shard-1', parentListed: false, initial: { skip: false, position: { type: 'TRIM_HORIZON' } } };

const coordinators: LeaseCoordinator[] = [];
afterEach(async () => {
  for (const coordinator of coordinators.splice(0)) await coordinator.stop();
});

async function holdingWorker(): Promise<{ table: LeaseTable; w1: LeaseCoordinator }> {
  const table = new LeaseTable(local.dynamodb, local.tableName('coordinator'));
  const w1 = new LeaseCoordinator({ table, streamArn: 'arn:stream', workerId: 'w1', leaseDurationMs: LEASE_MS, follow: true, onError: (error) => { throw error; } });
  coordinators.push(w1);
  await w1.start();
  const turn = await w1.turn(shard, new AbortController().signal);
  expect(turn).toEqual({ read: true, start: { type: 'TRIM_HORIZON' } });
  return { table, w1 };
}

async function leaseOf(table: LeaseTable): Promise<Lease> {
  const lease = (await table.scan()).find((l) => l.leaseKey === shard.shardId);
  if (!lease) throw new Error('no lease');
  return lease;
}

/** Rounds of the holding worker pass: it sees the request and would act on it. */
const rounds = (count: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, (LEASE_MS / 3) * count));

describe('LeaseCoordinator hand-off', () => {
  it('hands a shard read to its end over only with its SHARD_END: the next owner never reads it again', async () => {
    const { table, w1 } = await holdingWorker();
    expect(await table.requestHandoff(await leaseOf(table), 'w2')).toBe(true);
    await rounds(2);
    // The reader got to the shard's end; the last page is still on its way out of the process.
    const stopped = w1.stopped(shard.shardId, { how: 'end' });
    await rounds(3);
    expect((await leaseOf(table)).leaseOwner).toBe('w1');
    w1.checkpoint(shard.shardId, '300', true);
    await w1.flush();
    await stopped;
    const lease = await leaseOf(table);
    expect(lease.checkpoint).toBe('SHARD_END');
    expect(lease.leaseOwner).toBeUndefined();
  }, 20_000);

  it('hands a shard it stopped reading over only once what it read is checkpointed', async () => {
    const { table, w1 } = await holdingWorker();
    expect(await table.requestHandoff(await leaseOf(table), 'w2')).toBe(true);
    await rounds(2);
    expect(w1.holds(shard.shardId)).toBe(false);
    const stopped = w1.stopped(shard.shardId, { how: 'lost', lastRead: '120' });
    await rounds(3);
    expect((await leaseOf(table)).leaseOwner).toBe('w1');
    w1.checkpoint(shard.shardId, '120', false);
    await stopped;
    const lease = await leaseOf(table);
    expect(lease.leaseOwner).toBe('w2');
    expect(lease.checkpoint).toBe('120');
  }, 20_000);
});

describe('LeaseCoordinator cleanup', () => {
  it('deletes finished leases of shards gone from the stream, and keeps a listed shard\'s finished parent', async () => {
    const table = new LeaseTable(local.dynamodb, local.tableName('cleanup'));
    await table.ensure();
    const finished = (leaseKey: string): Lease => ({ leaseKey, leaseCounter: 4, checkpoint: 'SHARD_END', checkpointSubSequenceNumber: 0, ownerSwitchesSinceCheckpoint: 0, parentShardIds: [] });
    for (const key of ['gone-1', 'gone-2', 'parent-1']) expect(await table.create(finished(key))).toBe(true);
    // Long enough that the first look below comes well before a lease duration, on a busy machine too.
    const w1 = new LeaseCoordinator({ table, streamArn: 'arn:stream', workerId: 'w1', leaseDurationMs: 3_000, follow: true, onError: (error) => { throw error; } });
    coordinators.push(w1);
    await w1.start();
    const child: AssignableShard = { shardId: 'child-1', parentShardId: 'parent-1', parentListed: false, initial: { skip: false, position: { type: 'TRIM_HORIZON' } } };
    expect(await w1.turn(child, new AbortController().signal)).toEqual({ read: true, start: { type: 'TRIM_HORIZON' } });
    // Not before a lease duration has passed; then within a round or two.
    expect((await table.scan()).map((l) => l.leaseKey).sort()).toEqual(['child-1', 'gone-1', 'gone-2', 'parent-1']);
    const deadline = Date.now() + 10_000;
    let keys: string[] = [];
    while (Date.now() < deadline) {
      keys = (await table.scan()).map((l) => l.leaseKey).sort();
      if (keys.length <= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(keys).toEqual(['child-1', 'parent-1']);
  }, 20_000);
});
