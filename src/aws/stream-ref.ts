import { UsageError } from '../util/errors.js';

/** What the user named: a table (resolved to its latest stream) or a stream ARN. */
export type StreamRef =
  | { kind: 'table'; table: string }
  | { kind: 'arn'; arn: string; table: string; label: string; region: string; account: string };

// arn:aws:dynamodb:us-east-1:123456789012:table/Users/stream/2024-01-01T00:00:00.000
const STREAM_ARN = /^arn:(aws[a-z-]*):dynamodb:([a-z0-9-]+):(\d{12}|[0-9a-zA-Z]+):table\/([A-Za-z0-9_.-]{1,255})\/stream\/(.+)$/;
const TABLE_NAME = /^[A-Za-z0-9_.-]{1,255}$/;

export function parseStreamRef(input: string): StreamRef {
  const value = input.trim();
  if (value.startsWith('arn:')) {
    const match = STREAM_ARN.exec(value);
    if (!match) {
      throw new UsageError(
        `"${value}" is not a DynamoDB stream ARN. Expected arn:aws:dynamodb:REGION:ACCOUNT:table/TABLE/stream/LABEL, or pass the table name.`,
      );
    }
    return { kind: 'arn', arn: value, region: match[2]!, account: match[3]!, table: match[4]!, label: match[5]! };
  }
  if (!TABLE_NAME.test(value)) {
    throw new UsageError(
      `"${value}" is neither a table name (letters, digits, _ . -) nor a stream ARN (arn:aws:dynamodb:...:table/T/stream/LABEL).`,
    );
  }
  return { kind: 'table', table: value };
}
