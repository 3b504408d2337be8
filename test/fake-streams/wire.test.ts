import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DescribeTableCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { startFakeStreams, type FakeStreams } from './index.js';
import { rejectionOf, sdkClients } from './sdk-clients.js';

let fake: FakeStreams;
let clients: ReturnType<typeof sdkClients>;

beforeEach(async () => {
  fake = await startFakeStreams();
  clients = sdkClients(fake.endpoint);
});
afterEach(async () => {
  clients.destroy();
  await fake.close();
});

function post(target: string, body: string): Promise<{ status: number; type: string; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${fake.endpoint}/`, {
      method: 'POST',
      headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.0' },
    }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), json: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('JSON 1.0 wire protocol', () => {
  it('listens on 127.0.0.1 on a port chosen at run time', () => {
    expect(fake.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(fake.port).toBeGreaterThan(0);
  });

  it('answers errors as HTTP 400 with a namespaced __type and a message', async () => {
    const res = await post('DynamoDBStreams_20120810.DescribeStream', JSON.stringify({ StreamArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/Nope/stream/x' }));
    expect(res.status).toBe(400);
    expect(res.type).toBe('application/x-amz-json-1.0');
    expect(res.json.__type).toBe('com.amazonaws.dynamodb.v20120810#ResourceNotFoundException');
    expect(String(res.json.message)).toContain('not found');
  });

  it('rejects unknown targets and bodies that are not JSON', async () => {
    expect((await post('DynamoDBStreams_20120810.PutRecord', '{}')).json.__type).toMatch(/#UnknownOperationException$/);
    expect((await post('DynamoDB_20120810.GetRecords', '{}')).json.__type).toMatch(/#UnknownOperationException$/);
    expect((await post('DynamoDBStreams_20120810.ListStreams', '{not json')).json.__type).toMatch(/#SerializationException$/);
  });

  it('lets the SDK name the exception after __type and see the status', async () => {
    const error = await rejectionOf(clients.streams.send(new DescribeStreamCommand({ StreamArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/Nope/stream/x' })));
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it('answers InternalServerError with HTTP 500', async () => {
    fake.addTable({ tableName: 'T', stream: { viewType: 'KEYS_ONLY' } });
    fake.faults.internalErrors(1);
    const error = await rejectionOf(clients.tables.send(new DescribeTableCommand({ TableName: 'T' })));
    expect(error.name).toBe('InternalServerError');
    expect(error.$metadata?.httpStatusCode).toBe(500);
  });

  it('checks Limit the way the service does', async () => {
    const { streamArn } = fake.addTable({ tableName: 'T', stream: { viewType: 'KEYS_ONLY' } });
    const tooMany = await rejectionOf(clients.streams.send(new DescribeStreamCommand({ StreamArn: streamArn, Limit: 101 })));
    expect(tooMany.name).toBe('ValidationException');
    const shardId = fake.shardsOf(streamArn!)[0]!.shardId;
    const { ShardIterator } = await clients.streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));
    expect((await rejectionOf(clients.streams.send(new GetRecordsCommand({ ShardIterator, Limit: 1001 })))).name).toBe('ValidationException');
    expect((await rejectionOf(clients.streams.send(new GetRecordsCommand({ ShardIterator, Limit: 0 })))).name).toBe('ValidationException');
    expect((await rejectionOf(clients.streams.send(new GetRecordsCommand({ ShardIterator: 'garbage' })))).name).toBe('ValidationException');
  });
});

describe('DescribeTable', () => {
  it('returns the latest stream of a table', async () => {
    const { streamArn } = fake.addTable({
      tableName: 'Orders',
      keySchema: [{ AttributeName: 'id', KeyType: 'HASH' }, { AttributeName: 'at', KeyType: 'RANGE' }],
      attributeTypes: { at: 'N' },
      stream: { viewType: 'NEW_IMAGE' },
    });
    const { Table } = await clients.tables.send(new DescribeTableCommand({ TableName: 'Orders' }));
    expect(streamArn).toMatch(/^arn:aws:dynamodb:us-east-1:123456789012:table\/Orders\/stream\/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
    expect(Table?.TableName).toBe('Orders');
    expect(Table?.LatestStreamArn).toBe(streamArn);
    expect(Table?.LatestStreamLabel).toBe(streamArn!.split('/stream/')[1]);
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    expect(Table?.KeySchema?.map((k) => k.AttributeName)).toEqual(['id', 'at']);
    expect(Table?.AttributeDefinitions).toContainEqual({ AttributeName: 'at', AttributeType: 'N' });
    expect(Table?.TableStatus).toBe('ACTIVE');
  });

  it('shows a table without a stream, and the newer stream after re-enabling', async () => {
    fake.addTable({ tableName: 'Plain' });
    const plain = (await clients.tables.send(new DescribeTableCommand({ TableName: 'Plain' }))).Table;
    expect(plain?.LatestStreamArn).toBeUndefined();
    expect(plain?.StreamSpecification).toBeUndefined();

    const first = fake.addStream({ tableName: 'Plain', viewType: 'KEYS_ONLY' });
    const second = fake.addStream({ tableName: 'Plain', viewType: 'OLD_IMAGE' });
    expect(second).not.toBe(first);
    expect(fake.stream(first).status).toBe('DISABLED');
    const table = (await clients.tables.send(new DescribeTableCommand({ TableName: 'Plain' }))).Table;
    expect(table?.LatestStreamArn).toBe(second);
  });

  it('answers ResourceNotFoundException for unknown and deleted tables', async () => {
    expect((await rejectionOf(clients.tables.send(new DescribeTableCommand({ TableName: 'Missing' })))).name).toBe('ResourceNotFoundException');
    fake.addTable({ tableName: 'Gone', stream: {} });
    fake.deleteTable('Gone');
    expect((await rejectionOf(clients.tables.send(new DescribeTableCommand({ TableName: 'Gone' })))).name).toBe('ResourceNotFoundException');
  });

  it('Scan deals the items out to segments and pages them with Limit and LastEvaluatedKey', async () => {
    fake.addTable({ tableName: 'Items' });
    fake.table('Items').items.push(...Array.from({ length: 7 }, (_, i) => ({ pk: { S: `k${i}` } })));
    const read = async (segment: number): Promise<string[][]> => {
      const pages: string[][] = [];
      let start: Record<string, AttributeValue> | undefined;
      do {
        const answer = await clients.tables.send(new ScanCommand({ TableName: 'Items', Segment: segment, TotalSegments: 2, Limit: 2, ExclusiveStartKey: start }));
        pages.push((answer.Items ?? []).map((item) => item.pk!.S!));
        start = answer.LastEvaluatedKey;
      } while (start);
      return pages;
    };
    expect(await read(0)).toEqual([['k0', 'k2'], ['k4', 'k6']]);
    expect(await read(1)).toEqual([['k1', 'k3'], ['k5']]);
    fake.faults.accessDenied(1, { actions: ['Scan'] });
    expect((await rejectionOf(clients.tables.send(new ScanCommand({ TableName: 'Items' })))).name).toBe('AccessDeniedException');
  });
});
