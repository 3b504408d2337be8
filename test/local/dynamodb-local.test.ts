import { createServer, type Server } from 'node:net';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CreateTableCommand, ListTablesCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { startDynamoDbLocal } from '../../src/local/dynamodb-local.js';
import { RuntimeError } from '../../src/util/errors.js';
import { localDynamoDbClient, useDynamoDbLocal } from '../helpers/dynamodb-local.js';
import { childrenNamed, commandOf, isAlive } from '../helpers/processes.js';

const local = useDynamoDbLocal();

describe('DynamoDB Local', () => {
  it('serves a NEW_AND_OLD_IMAGES stream through the Streams API', async () => {
    const { tableName, streamArn } = await local.createTableWithStream(local.tableName('users'), 'NEW_AND_OLD_IMAGES', {
      partition: { name: 'pk', type: 'S' },
      sort: { name: 'sk', type: 'S' },
    });
    const key = { pk: { S: 'USER#1' }, sk: { S: 'PROFILE' } };
    await local.dynamodb.send(new PutItemCommand({ TableName: tableName, Item: { ...key, email: { S: 'ada@example.com' } } }));
    await local.dynamodb.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: 'SET email = :e',
        ExpressionAttributeValues: { ':e': { S: 'ada@example.org' } },
      }),
    );

    const listed = await local.streams.send(new ListStreamsCommand({ TableName: tableName }));
    expect(listed.Streams?.map((s) => s.StreamArn)).toEqual([streamArn]);
    const described = await local.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    expect(described.StreamDescription?.StreamViewType).toBe('NEW_AND_OLD_IMAGES');
    const shardId = described.StreamDescription?.Shards?.[0]?.ShardId;
    expect(shardId).toBeTruthy();

    const { ShardIterator } = await local.streams.send(
      new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const records: _Record[] = [];
    let iterator = ShardIterator;
    for (let page = 0; page < 20 && iterator && records.length < 2; page++) {
      const result = await local.streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      records.push(...(result.Records ?? []));
      iterator = result.NextShardIterator;
    }
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY']);
    expect(records[0]?.dynamodb?.NewImage?.email).toEqual({ S: 'ada@example.com' });
    expect(records[1]?.dynamodb?.OldImage?.email).toEqual({ S: 'ada@example.com' });
    expect(records[1]?.dynamodb?.NewImage?.email).toEqual({ S: 'ada@example.org' });
    expect(records[1]?.dynamodb?.Keys).toEqual(key);
  });

  it('leaves no java process behind after stop(), and keeps data in --db-path across restarts', async () => {
    const dbPath = await mkdtemp(join(tmpdir(), 'ddbstream-db-'));
    try {
      const first = await startDynamoDbLocal({ dbPath });
      expect(first.endpoint).toBe(`http://localhost:${first.port}`);
      expect(commandOf(first.pid)).toMatch(/java/);
      const client = localDynamoDbClient(first.endpoint);
      await client.send(
        new CreateTableCommand({
          TableName: 'kept',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      client.destroy();
      await first.stop();
      expect(isAlive(first.pid)).toBe(false);
      await first.stop(); // a second stop is harmless
      expect(await readdir(dbPath)).toContain('shared-local-instance.db');

      const second = await startDynamoDbLocal({ dbPath });
      try {
        const again = localDynamoDbClient(second.endpoint, 'eu-west-1');
        // -sharedDb: the same tables whatever the region or key.
        expect((await again.send(new ListTablesCommand({}))).TableNames).toEqual(['kept']);
        again.destroy();
      } finally {
        await second.stop();
      }
      expect(isAlive(second.pid)).toBe(false);
    } finally {
      await rm(dbPath, { recursive: true, force: true });
    }
  });

  describe('a port that is already taken', () => {
    let server: Server;
    afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

    it('is refused before java starts', async () => {
      server = createServer();
      await new Promise<void>((resolve) => server.listen(0, resolve));
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const start = startDynamoDbLocal({ port });
      await expect(start).rejects.toBeInstanceOf(RuntimeError);
      await expect(start).rejects.toThrow(`port ${port} is already in use`);
    });
  });

  it('stops a start-up that is aborted', async () => {
    const controller = new AbortController();
    const start = startDynamoDbLocal({ signal: controller.signal });
    setTimeout(() => controller.abort(new Error('cancelled')), 300);
    await expect(start).rejects.toThrow('cancelled');
    // Only this file's shared instance is left.
    expect(childrenNamed('java')).toEqual([local.instance.pid]);
  });
});
