import { afterAll, beforeAll } from 'vitest';
import { CreateTableCommand, DynamoDBClient, type StreamViewType } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../src/local/dynamodb-local.js';
import { LOCAL_DEFAULT_REGION, PLACEHOLDER_CREDENTIALS } from '../../src/aws/client-config.js';

export interface KeyAttribute {
  name: string;
  type: 'S' | 'N' | 'B';
}

/** Partition key and optional sort key. Default: a string partition key `pk`. */
export interface TableKeys {
  partition: KeyAttribute;
  sort?: KeyAttribute;
}

export interface CreatedTable {
  tableName: string;
  streamArn: string;
}

export interface LocalDynamoDb {
  readonly instance: DynamoDbLocal;
  readonly endpoint: string;
  readonly region: string;
  /** DynamoDB client with placeholder credentials, pointed at this instance. */
  readonly dynamodb: DynamoDBClient;
  /** DynamoDB Streams client, same endpoint (DynamoDB Local serves both). */
  readonly streams: DynamoDBStreamsClient;
  /** A table name no other test in this file uses. */
  tableName(prefix?: string): string;
  createTableWithStream(name: string, viewType?: StreamViewType, keys?: TableKeys): Promise<CreatedTable>;
  /**
   * Raw records of a stream from TRIM_HORIZON, shard by shard, until at least `count` arrived
   * (DynamoDB Local has one shard). Throws if they do not within `timeoutMs`.
   */
  readStreamRecords(streamArn: string, count: number, timeoutMs?: number): Promise<_Record[]>;
  /** Environment for spawning the CLI against this instance (inherits PATH and the like). */
  cliEnv(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
}

// The SDK warns about Node 20 when a client is built; the CLI silences it the same way.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export const DEFAULT_KEYS: TableKeys = { partition: { name: 'pk', type: 'S' } };

/** A DynamoDB client for a local endpoint: placeholder credentials, us-east-1. */
export function localDynamoDbClient(endpoint: string, region: string = LOCAL_DEFAULT_REGION): DynamoDBClient {
  return new DynamoDBClient({ region, endpoint, credentials: PLACEHOLDER_CREDENTIALS });
}

/**
 * One DynamoDB Local for the test file that calls this at top level: started in beforeAll,
 * stopped in afterAll. The returned object is usable inside tests and hooks only.
 */
export function useDynamoDbLocal(): LocalDynamoDb {
  let instance: DynamoDbLocal | undefined;
  let dynamodb: DynamoDBClient | undefined;
  let streams: DynamoDBStreamsClient | undefined;
  let tableCounter = 0;

  beforeAll(async () => {
    // Longer than the default 20 s: test files start JVMs side by side on small CI machines.
    instance = await startDynamoDbLocal({ startTimeoutMs: 45_000 });
    dynamodb = localDynamoDbClient(instance.endpoint);
    streams = new DynamoDBStreamsClient({ region: LOCAL_DEFAULT_REGION, endpoint: instance.endpoint, credentials: PLACEHOLDER_CREDENTIALS });
  });

  afterAll(async () => {
    dynamodb?.destroy();
    streams?.destroy();
    await instance?.stop();
  });

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('DynamoDB Local is not running: use it inside tests or hooks, after beforeAll');
    return value;
  };

  const local: LocalDynamoDb = {
    get instance() {
      return started(instance);
    },
    get endpoint() {
      return started(instance).endpoint;
    },
    region: LOCAL_DEFAULT_REGION,
    get dynamodb() {
      return started(dynamodb);
    },
    get streams() {
      return started(streams);
    },
    tableName(prefix = 'table') {
      tableCounter += 1;
      return `${prefix}-${tableCounter}-${Math.random().toString(36).slice(2, 8)}`;
    },
    async createTableWithStream(name, viewType = 'NEW_AND_OLD_IMAGES', keys = DEFAULT_KEYS) {
      const attributes = [keys.partition, ...(keys.sort ? [keys.sort] : [])];
      const result = await local.dynamodb.send(
        new CreateTableCommand({
          TableName: name,
          AttributeDefinitions: attributes.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
          KeySchema: [
            { AttributeName: keys.partition.name, KeyType: 'HASH' },
            ...(keys.sort ? [{ AttributeName: keys.sort.name, KeyType: 'RANGE' as const }] : []),
          ],
          BillingMode: 'PAY_PER_REQUEST',
          StreamSpecification: { StreamEnabled: true, StreamViewType: viewType },
        }),
      );
      const streamArn = result.TableDescription?.LatestStreamArn;
      if (!streamArn) throw new Error(`CreateTable ${name} returned no stream ARN`);
      return { tableName: name, streamArn };
    },
    async readStreamRecords(streamArn, count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      const described = await local.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
      const records: _Record[] = [];
      for (const shard of described.StreamDescription?.Shards ?? []) {
        let iterator = (
          await local.streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))
        ).ShardIterator;
        while (iterator && records.length < count) {
          const page = await local.streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
          records.push(...(page.Records ?? []));
          iterator = page.NextShardIterator;
          if (records.length < count && Date.now() > deadline) {
            throw new Error(`only ${records.length} of ${count} stream records arrived within ${timeoutMs} ms`);
          }
          if (page.Records?.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      if (records.length < count) throw new Error(`the stream holds ${records.length} records, expected ${count}`);
      return records;
    },
    cliEnv(extra = {}) {
      const env: NodeJS.ProcessEnv = { ...process.env };
      // Anything that could point the CLI elsewhere or at real credentials goes.
      for (const name of ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_DYNAMODB_STREAMS',
        'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_DEFAULT_REGION', 'NO_COLOR', 'FORCE_COLOR']) {
        delete env[name];
      }
      return { ...env, AWS_ENDPOINT_URL: local.endpoint, AWS_REGION: LOCAL_DEFAULT_REGION, ...extra };
    },
  };
  return local;
}
