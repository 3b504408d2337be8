// DynamoDB Local (through the built launcher in dist/) with one streamed table, and a loader that
// writes items with BatchWriteItem, a few batches in flight.
import { BatchWriteItemCommand, CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };
export const REGION = 'us-east-1';

/** Environment for the CLIs (ddbstream, aws) talking to a local endpoint with placeholder credentials. */
export function localEnv() {
  return {
    ...process.env,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_DEFAULT_REGION: REGION,
    AWS_REGION: REGION,
    AWS_PAGER: '',
  };
}

/** `startTimeoutMs`: how long DynamoDB Local may take to answer (a busy machine needs longer). */
export async function startLocal({ startTimeoutMs } = {}) {
  let launcher;
  try {
    launcher = await import('../dist/local/dynamodb-local.js');
  } catch (error) {
    throw new Error(`build first (npm run build): ${error.message}`, { cause: error });
  }
  const local = await launcher.startDynamoDbLocal(startTimeoutMs ? { startTimeoutMs } : {});
  const config = { region: REGION, endpoint: local.endpoint, credentials: CREDENTIALS };
  const dynamodb = new DynamoDBClient(config);
  const streams = new DynamoDBStreamsClient(config);
  return {
    endpoint: local.endpoint,
    dynamodb,
    streams,
    async createTable(tableName) {
      const { TableDescription } = await dynamodb.send(new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }));
      return TableDescription.LatestStreamArn;
    },
    async shardIds(streamArn) {
      const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
      return StreamDescription.Shards.map((s) => s.ShardId);
    },
    async stop() {
      dynamodb.destroy();
      streams.destroy();
      await local.stop();
    },
  };
}

/** An item of a few hundred bytes with the types that matter: numbers, sets, maps, lists. */
export function benchItem(index, version) {
  return {
    pk: { S: `item-${String(index).padStart(6, '0')}` },
    version: { N: String(version) },
    price: { N: `${index}.${String(version).padStart(2, '0')}` },
    name: { S: `Item number ${index}, version ${version}` },
    active: { BOOL: index % 2 === 0 },
    tags: { SS: ['bench', `group-${index % 10}`] },
    profile: { M: { city: { S: 'Zurich' }, zip: { N: '8001' }, scores: { L: [{ N: '1' }, { N: '2' }, { N: String(version) }] } } },
  };
}

/** Puts `items` (an array of AttributeValue maps), 25 a batch, `concurrency` batches at once. */
export async function batchPut(dynamodb, tableName, items, concurrency = 4) {
  const batches = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let requests = batches[next++].map((Item) => ({ PutRequest: { Item } }));
      while (requests.length) {
        const { UnprocessedItems } = await dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }));
        requests = UnprocessedItems?.[tableName] ?? [];
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
