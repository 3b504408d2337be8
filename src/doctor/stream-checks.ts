import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import type { AwsClients } from '../aws/clients.js';
import { parseStreamRef } from '../aws/stream-ref.js';
import { describeError } from '../messages/describe-error.js';
import { listAllStreams } from '../stream/describe.js';
import { resolveStream } from '../stream/resolve-stream.js';
import { withinBound, type CheckResult } from './check.js';

/** The user's words for a failed call, without the "ddbstream: " the error line starts with. */
function reason(error: unknown): string {
  return describeError(error, false).split('\n')[0]!.replace(/^ddbstream: /, '');
}

export interface ListStreamsOutcome {
  result: CheckResult;
  count: number | undefined;
}

export async function listStreamsCheck(clients: AwsClients): Promise<ListStreamsOutcome> {
  const name = 'list-streams';
  try {
    const streams = await withinBound((signal) => listAllStreams(clients.streams, undefined, signal));
    return { result: { name, status: 'ok', detail: `ListStreams allowed: ${streams.length} stream${streams.length === 1 ? '' : 's'}`, required: true }, count: streams.length };
  } catch (error) {
    return {
      result: { name, status: 'fail', detail: 'ListStreams failed', advice: reason(error), required: true },
      count: undefined,
    };
  }
}

/**
 * DynamoDB Local keeps a database per access key and region unless started with -sharedDb:
 * tables created with other credentials or another region are simply not there.
 */
export function localDatabaseNote(clients: AwsClients, accessKeyTail: string): CheckResult {
  return {
    name: 'local-database',
    status: 'note',
    detail: `DynamoDB Local lists no streams for key ${accessKeyTail} in ${clients.config.region ?? 'this region'}`,
    advice: 'DynamoDB Local keeps one database per access key and region unless started with -sharedDb: ' +
      'use the credentials and --region of the program that created the tables',
    required: false,
  };
}

/** With STREAM: the stream resolved and described, and one GetRecords on a shard (nothing is consumed). */
export async function streamCheck(stream: string, clients: AwsClients): Promise<CheckResult> {
  const name = 'stream';
  try {
    const ref = parseStreamRef(stream);
    return await withinBound(async (signal) => {
      const resolved = await resolveStream(ref, clients, signal);
      // One shard is enough to show that GetRecords is allowed and answers.
      const page = await clients.streams.send(new DescribeStreamCommand({ StreamArn: resolved.streamArn, Limit: 1 }), { abortSignal: signal });
      const description = page.StreamDescription ?? {};
      const shard = description.Shards?.[0]?.ShardId;
      const status = `${description.StreamStatus ?? 'unknown status'}, ${description.StreamViewType ?? 'unknown view type'}`;
      if (!shard) return { name, status: 'ok', detail: `${resolved.table}: ${status}; no shards to read yet`, required: true };
      const { ShardIterator } = await clients.streams.send(
        new GetShardIteratorCommand({ StreamArn: resolved.streamArn, ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }),
        { abortSignal: signal },
      );
      const records = await clients.streams.send(new GetRecordsCommand({ ShardIterator, Limit: 1 }), { abortSignal: signal });
      const got = records.Records?.length ?? 0;
      return { name, status: 'ok', detail: `${resolved.table}: ${status}; GetRecords on ${shard} answered (${got} record${got === 1 ? '' : 's'})`, required: true };
    });
  } catch (error) {
    return { name, status: 'fail', detail: `${stream}: cannot be read`, advice: reason(error), required: true };
  }
}
