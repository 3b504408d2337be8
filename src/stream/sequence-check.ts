import type { DynamoDBStreamsClient, Shard } from '@aws-sdk/client-dynamodb-streams';
import { streamsSdk } from '../aws/streams-sdk.js';
import { compareSequenceNumbers } from '../records/record.js';
import { describeWholeStream } from './describe.js';
import { SequenceNotInStreamError } from './errors.js';

const { GetShardIteratorCommand } = streamsSdk;

/**
 * Before reading from a sequence number: does any shard of the stream hold it? A closed shard
 * holds the numbers of its SequenceNumberRange. An open shard has no end yet, so one that began
 * at or before the number is asked for an iterator there: DynamoDB refuses a number the shard
 * does not have (DynamoDB Local with InternalFailure, which would otherwise be waited out as an
 * outage). A refusal counts only when the same shard then gives a TRIM_HORIZON iterator, so a
 * real outage is never taken for a wrong number; anything unclear is left to the reader.
 * Throws SequenceNotInStreamError when no shard can hold the number.
 */
export async function checkSequenceStart(
  client: DynamoDBStreamsClient,
  stream: { streamArn: string; table: string },
  sequenceNumber: string,
  signal?: AbortSignal,
): Promise<void> {
  const { shards } = await describeWholeStream(client, stream.streamArn, signal);
  if (shards.some((shard) => closedRangeHolds(shard, sequenceNumber))) return;
  const candidates = shards.filter((shard) => openAndBeganBy(shard, sequenceNumber));
  for (const shard of candidates) {
    if (!(await refuses(client, stream.streamArn, shard.ShardId ?? '', sequenceNumber, signal))) return;
  }
  throw new SequenceNotInStreamError(stream.streamArn, stream.table, sequenceNumber);
}

function closedRangeHolds(shard: Shard, sequenceNumber: string): boolean {
  const first = shard.SequenceNumberRange?.StartingSequenceNumber;
  const last = shard.SequenceNumberRange?.EndingSequenceNumber;
  return first !== undefined && last !== undefined &&
    compareSequenceNumbers(first, sequenceNumber) <= 0 && compareSequenceNumbers(sequenceNumber, last) <= 0;
}

function openAndBeganBy(shard: Shard, sequenceNumber: string): boolean {
  const first = shard.SequenceNumberRange?.StartingSequenceNumber;
  return shard.SequenceNumberRange?.EndingSequenceNumber === undefined &&
    (first === undefined || compareSequenceNumbers(first, sequenceNumber) <= 0);
}

/** True only when the shard answers at TRIM_HORIZON but not at the number. */
async function refuses(
  client: DynamoDBStreamsClient,
  streamArn: string,
  shardId: string,
  sequenceNumber: string,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  const at = (type: 'AT_SEQUENCE_NUMBER' | 'TRIM_HORIZON'): Promise<unknown> => client.send(
    new GetShardIteratorCommand({
      StreamArn: streamArn,
      ShardId: shardId,
      ShardIteratorType: type,
      ...(type === 'AT_SEQUENCE_NUMBER' ? { SequenceNumber: sequenceNumber } : {}),
    }),
    { abortSignal: signal },
  );
  try {
    await at('AT_SEQUENCE_NUMBER');
    return false;
  } catch (error) {
    if (!isRefusal(error)) return false;
  }
  try {
    await at('TRIM_HORIZON');
    return true;
  } catch {
    return false;
  }
}

/** How the services refuse a number: a validation error naming it, or (DynamoDB Local) an internal failure. */
function isRefusal(error: unknown): boolean {
  const e = error as Error | undefined;
  if (e?.name === 'InternalFailure' || e?.name === 'InternalServerError') return true;
  return (e?.name === 'ValidationException' || e?.name === 'InvalidArgumentException') && /sequence ?number/i.test(e.message);
}
