import type { AwsClients } from '../aws/clients.js';
import { dynamoDbSdk } from '../aws/dynamodb-sdk.js';
import type { StreamRef } from '../aws/stream-ref.js';
import { TableHasNoStreamError, TableNotFoundError } from './errors.js';

const { DescribeTableCommand } = dynamoDbSdk;

export interface ResolvedStream {
  streamArn: string;
  table: string;
  label: string;
}

/** A table name becomes its latest stream ARN; an ARN is taken as it is. */
export async function resolveStream(ref: StreamRef, clients: AwsClients, signal?: AbortSignal): Promise<ResolvedStream> {
  if (ref.kind === 'arn') return { streamArn: ref.arn, table: ref.table, label: ref.label };
  let table;
  try {
    ({ Table: table } = await clients.tables.send(new DescribeTableCommand({ TableName: ref.table }), { abortSignal: signal }));
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') {
      const endpoint = clients.config.streamsEndpoint;
      throw new TableNotFoundError(ref.table, endpoint !== undefined ? { endpoint } : { region: clients.config.region }, { cause: error });
    }
    throw error;
  }
  const arn = table?.LatestStreamArn;
  if (!arn) throw new TableHasNoStreamError(ref.table);
  return { streamArn: arn, table: ref.table, label: table?.LatestStreamLabel ?? arn.split('/stream/')[1] ?? '' };
}
