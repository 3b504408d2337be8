import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoDbSdk } from './dynamodb-sdk.js';
import { streamsSdk } from './streams-sdk.js';
import { PLACEHOLDER_CREDENTIALS, type ResolvedAwsConfig } from './client-config.js';

export interface AwsClients {
  streams: DynamoDBStreamsClient;
  tables: DynamoDBClient;
  config: ResolvedAwsConfig;
  destroy(): void;
}

/**
 * Bounded so that an unreachable endpoint fails within seconds instead of hanging: the reader
 * does its own, longer, backoff for throttling and reconnects where waiting makes sense.
 */
const REQUEST_HANDLER = { connectionTimeout: 3_000, requestTimeout: 4_000, throwOnRequestTimeout: true };
const SDK_MAX_ATTEMPTS = 2;

/**
 * The SDK logs warnings of its own (several credential sources set, say) to the console unless
 * the client has a logger. What matters reaches the user as the error it causes, in one line.
 */
const SILENT_LOGGER = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

export function createClients(config: ResolvedAwsConfig): AwsClients {
  const common = {
    ...(config.region ? { region: config.region } : {}),
    ...(config.profile && !config.placeholderCredentials ? { profile: config.profile } : {}),
    ...(config.placeholderCredentials ? { credentials: PLACEHOLDER_CREDENTIALS } : {}),
    maxAttempts: SDK_MAX_ATTEMPTS,
    requestHandler: REQUEST_HANDLER,
    logger: SILENT_LOGGER,
  };
  const streams = new streamsSdk.DynamoDBStreamsClient({
    ...common,
    ...(config.streamsEndpoint ? { endpoint: config.streamsEndpoint } : {}),
  });
  const tables = new dynamoDbSdk.DynamoDBClient({
    ...common,
    ...(config.tableEndpoint ? { endpoint: config.tableEndpoint } : {}),
  });
  return {
    streams,
    tables,
    config,
    destroy() {
      streams.destroy();
      tables.destroy();
    },
  };
}
