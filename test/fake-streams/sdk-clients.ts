import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';

/** Real SDK clients pointed at a fake; one attempt by default so injected faults surface as thrown. */
export function sdkClients(endpoint: string, maxAttempts = 1) {
  const common = {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'fake', secretAccessKey: 'fake' },
    maxAttempts,
  };
  const streams = new DynamoDBStreamsClient(common);
  const tables = new DynamoDBClient(common);
  return {
    streams,
    tables,
    destroy() {
      streams.destroy();
      tables.destroy();
    },
  };
}

/** The rejection of a promise that must fail (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number }; code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
