import { dynamoDbSdk } from '../aws/dynamodb-sdk.js';
import type { AwsClients } from '../aws/clients.js';
import type { StreamViewType } from '../records/record.js';
import { TableNotFoundError } from '../stream/errors.js';
import { ScanFailedError } from './errors.js';

const { DescribeTableCommand } = dynamoDbSdk;

/** What a backfill needs to know of its table before the first Scan. */
export interface ScanTable {
  table: string;
  tableArn: string;
  /** The table's current stream, if it has one: the scan's records name it, and it is read after. */
  stream?: { streamArn: string; label: string; viewType?: StreamViewType };
  /** Key attributes, partition key first: a KEYS_ONLY stream's synthetic records carry only these. */
  keyNames: string[];
  /** As DynamoDB reports them (updated about every six hours on AWS). */
  sizeBytes: number;
  itemCount: number;
}

export async function describeScanTable(clients: AwsClients, table: string, signal?: AbortSignal): Promise<ScanTable> {
  let described;
  try {
    ({ Table: described } = await clients.tables.send(new DescribeTableCommand({ TableName: table }), { abortSignal: signal }));
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') {
      const endpoint = clients.config.tableEndpoint ?? clients.config.streamsEndpoint;
      throw new TableNotFoundError(table, endpoint !== undefined ? { endpoint } : { region: clients.config.region }, { cause: error });
    }
    // Said as the scan's own refusal: --scan needs DescribeTable as much as Scan.
    if ((error as Error).name === 'AccessDeniedException') {
      throw new ScanFailedError(table, { kind: 'denied', detail: (error as Error).message }, { cause: error });
    }
    throw error;
  }
  const keySchema = [...(described?.KeySchema ?? [])].sort((a, b) => (a.KeyType === 'HASH' ? -1 : b.KeyType === 'HASH' ? 1 : 0));
  const streamArn = described?.LatestStreamArn;
  // A disabled stream still has a LatestStreamArn; its last 24 hours can still be read.
  const viewType = described?.StreamSpecification?.StreamViewType as StreamViewType | undefined;
  return {
    table,
    tableArn: described?.TableArn ?? '',
    ...(streamArn
      ? { stream: { streamArn, label: described?.LatestStreamLabel ?? streamArn.split('/stream/')[1] ?? '', ...(viewType ? { viewType } : {}) } }
      : {}),
    keyNames: keySchema.map((k) => k.AttributeName ?? '').filter(Boolean),
    sizeBytes: described?.TableSizeBytes ?? 0,
    itemCount: described?.ItemCount ?? 0,
  };
}
