import { CreateTableCommand, DescribeTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { LeaseTableMissingError, NotALeaseTableError } from '../../src/lease/errors.js';
import type { Lease } from '../../src/lease/lease.js';
import { LeaseTable } from '../../src/lease/lease-table.js';
import { useDynamoDbLocal } from '../helpers/dynamodb-local.js';

const local = useDynamoDbLocal();

function lease(key: string, extra: Partial<Lease> = {}): Lease {
  return { leaseKey: key, leaseCounter: 0, checkpoint: 'TRIM_HORIZON', checkpointSubSequenceNumber: 0, ownerSwitchesSinceCheckpoint: 0, parentShardIds: [], ...extra };
}

async function freshTable(): Promise<LeaseTable> {
  const table = new LeaseTable(local.dynamodb, local.tableName('leases'));
  await table.ensure();
  return table;
}

describe('LeaseTable on DynamoDB Local', () => {
  it('creates the table on first use: on-demand, hash key leaseKey (S), ACTIVE', async () => {
    const table = await freshTable();
    const { Table } = await local.dynamodb.send(new DescribeTableCommand({ TableName: table.name }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'leaseKey', KeyType: 'HASH' }]);
    expect(Table?.AttributeDefinitions).toEqual([{ AttributeName: 'leaseKey', AttributeType: 'S' }]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    await table.ensure(); // a second worker finds it there
    await table.assertLeaseTable();
  });

  it('refuses a table with another key, and reports a missing one', async () => {
    const name = local.tableName('orders');
    await local.dynamodb.send(new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }));
    await expect(new LeaseTable(local.dynamodb, name).ensure()).rejects.toBeInstanceOf(NotALeaseTableError);
    await expect(new LeaseTable(local.dynamodb, local.tableName('nothing')).assertLeaseTable()).rejects.toBeInstanceOf(LeaseTableMissingError);
  });

  it('refuses a table with the right key whose items are not leases', async () => {
    const table = await freshTable();
    await local.dynamodb.send(new PutItemCommand({ TableName: table.name, Item: { leaseKey: { S: 'x' }, note: { S: 'not a lease' } } }));
    await expect(table.scan()).rejects.toBeInstanceOf(NotALeaseTableError);
  });

  it('creates a lease once: the second writer finds it there', async () => {
    const table = await freshTable();
    expect(await table.create(lease('shard-1', { parentShardIds: ['shard-0'] }))).toBe(true);
    expect(await table.create(lease('shard-1', { checkpoint: 'LATEST' }))).toBe(false);
    expect(await table.scan()).toEqual([lease('shard-1', { parentShardIds: ['shard-0'] })]);
  });

  it('lets exactly one of two racing workers take a lease', async () => {
    const table = await freshTable();
    await table.create(lease('shard-1'));
    const results = await Promise.all([table.take(lease('shard-1'), 'a'), table.take(lease('shard-1'), 'b')]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const [taken] = await table.scan();
    expect(taken?.leaseOwner).toBe(results[0] ? 'a' : 'b');
    expect(taken?.leaseCounter).toBe(1);
  });

  it('deletes only a finished lease nobody holds, at the counter it was seen', async () => {
    const table = await freshTable();
    await table.create(lease('open'));
    await table.create(lease('held', { checkpoint: 'SHARD_END', leaseOwner: 'a' }));
    await table.create(lease('moved', { checkpoint: 'SHARD_END', leaseCounter: 5 }));
    await table.create(lease('done', { checkpoint: 'SHARD_END', leaseCounter: 2 }));
    expect(await table.delete(lease('open'))).toBe(false);
    expect(await table.delete(lease('held'))).toBe(false);
    expect(await table.delete(lease('moved', { leaseCounter: 4 }))).toBe(false);
    expect(await table.delete(lease('done', { leaseCounter: 2 }))).toBe(true);
    expect((await table.scan()).map((l) => l.leaseKey).sort()).toEqual(['held', 'moved', 'open']);
  });

  it('refuses renewals and checkpoints of a lease taken by another worker', async () => {
    const table = await freshTable();
    await table.create(lease('shard-1'));
    expect(await table.take(lease('shard-1'), 'a')).toBe(true);
    expect(await table.renew({ leaseKey: 'shard-1', leaseOwner: 'a', leaseCounter: 1 })).toBe(true);
    // b steals it at the counter it saw.
    expect(await table.take(lease('shard-1', { leaseOwner: 'a', leaseCounter: 2 }), 'b')).toBe(true);
    expect(await table.renew({ leaseKey: 'shard-1', leaseOwner: 'a', leaseCounter: 2 })).toBe(false);
    expect(await table.checkpoint({ leaseKey: 'shard-1', leaseOwner: 'a', leaseCounter: 3 }, '100000000000000000001')).toBe(false);
    const [stolen] = await table.scan();
    expect(stolen).toMatchObject({ leaseOwner: 'b', leaseCounter: 3, ownerSwitchesSinceCheckpoint: 1, checkpoint: 'TRIM_HORIZON' });
  });

  it('checkpoints, lets go at SHARD_END, and marks a tip on release', async () => {
    const table = await freshTable();
    await table.create(lease('shard-1'));
    await table.create(lease('shard-2'));
    await table.take(lease('shard-1'), 'a');
    await table.take(lease('shard-2'), 'a');
    expect(await table.checkpoint({ leaseKey: 'shard-1', leaseOwner: 'a', leaseCounter: 1 }, '100000000000000000001')).toBe(true);
    expect(await table.checkpoint({ leaseKey: 'shard-1', leaseOwner: 'a', leaseCounter: 2 }, 'SHARD_END')).toBe(true);
    expect(await table.release({ leaseKey: 'shard-2', leaseOwner: 'a', leaseCounter: 1 }, 1234)).toBe(true);
    const byKey = new Map((await table.scan()).map((l) => [l.leaseKey, l]));
    const { renewedAt, ...first } = byKey.get('shard-1')!;
    expect(first).toEqual(lease('shard-1', { leaseCounter: 3, checkpoint: 'SHARD_END' }));
    // Written with the owner's clock at its last write, for people reading the table.
    expect(Math.abs(renewedAt! - Date.now())).toBeLessThan(60_000);
    expect(byKey.get('shard-2')).toMatchObject(lease('shard-2', { leaseCounter: 2, readToTipAt: 1234 }));
    expect(byKey.get('shard-2')?.leaseOwner).toBeUndefined();
  });
});
