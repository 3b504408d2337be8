import { CreateTableCommand, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useDynamoDbLocal } from '../helpers/dynamodb-local.js';

const local = useDynamoDbLocal();

async function table(name: string, key = 'leaseKey'): Promise<void> {
  await local.dynamodb.send(new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
    KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
}

describe('ddbstream leases', () => {
  it('reads a lease table as a KCL application writes it', async () => {
    const name = local.tableName('kclapp');
    await table(name);
    const items: Record<string, AttributeValue>[] = [
      { leaseKey: { S: 'shardId-000000000000' }, leaseCounter: { N: '812' }, checkpoint: { S: 'SHARD_END' }, checkpointSubSequenceNumber: { N: '0' }, ownerSwitchesSinceCheckpoint: { N: '0' } },
      { leaseKey: { S: 'shardId-000000000001' }, leaseOwner: { S: 'ip-10-0-0-1:7c1e' }, leaseCounter: { N: '96' }, checkpoint: { S: '49650000000000000000000000000000000000000000000000000001' }, checkpointSubSequenceNumber: { N: '0' }, ownerSwitchesSinceCheckpoint: { N: '1' }, parentShardId: { SS: ['shardId-000000000000'] }, startingHashKey: { S: '0' }, endingHashKey: { S: '340282366920938463463374607431768211455' } },
      { leaseKey: { S: 'shardId-000000000002' }, leaseCounter: { N: '3' }, checkpoint: { S: 'TRIM_HORIZON' }, checkpointSubSequenceNumber: { N: '0' }, ownerSwitchesSinceCheckpoint: { N: '0' }, parentShardId: { SS: ['shardId-000000000000'] } },
    ];
    for (const Item of items) await local.dynamodb.send(new PutItemCommand({ TableName: name, Item }));

    const json = await runCli(['leases', name, '--json', '--endpoint-url', local.endpoint], { env: local.cliEnv() });
    expect(json.code, json.stderr).toBe(0);
    expect(json.stdout.trim().split('\n').map((line) => JSON.parse(line) as unknown)).toEqual([
      { leaseKey: 'shardId-000000000000', leaseCounter: 812, checkpoint: 'SHARD_END', checkpointSubSequenceNumber: 0, ownerSwitchesSinceCheckpoint: 0, state: 'finished' },
      { leaseKey: 'shardId-000000000001', leaseOwner: 'ip-10-0-0-1:7c1e', leaseCounter: 96, checkpoint: '49650000000000000000000000000000000000000000000000000001', checkpointSubSequenceNumber: 0, ownerSwitchesSinceCheckpoint: 1, parentShardId: ['shardId-000000000000'], state: 'held' },
      { leaseKey: 'shardId-000000000002', leaseCounter: 3, checkpoint: 'TRIM_HORIZON', checkpointSubSequenceNumber: 0, ownerSwitchesSinceCheckpoint: 0, parentShardId: ['shardId-000000000000'], state: 'free' },
    ]);

    const tsv = await runCli(['leases', name, '--endpoint-url', local.endpoint], { env: local.cliEnv() });
    expect(tsv.stdout.split('\n')[0]).toBe('SHARD\tPARENT\tOWNER\tCOUNTER\tCHECKPOINT\tSTATE');
    expect(tsv.stdout).toContain('shardId-000000000002\tshardId-000000000000\t-\t3\tTRIM_HORIZON\tfree');
  }, 30_000);

  it('says in one line when the table is not a lease table, or not there', async () => {
    const orders = local.tableName('orders');
    await table(orders, 'pk');
    const wrong = await runCli(['leases', orders, '--endpoint-url', local.endpoint], { env: local.cliEnv() });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe(`ddbstream: "${orders}" is not a lease table (its key is pk (HASH), a lease table's is leaseKey (string)). Pass the lease table of a group (--lease-table), or a group name that no other table uses.\n`);

    const missing = await runCli(['leases', 'no-such-group', '--endpoint-url', local.endpoint], { env: local.cliEnv() });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^ddbstream: lease table "no-such-group" not found\. [^\n]*\n$/);
  }, 30_000);
});
