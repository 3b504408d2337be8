import type {
  DynamoDBStreamsClient,
  Shard,
  _Stream as Stream,
  StreamDescription,
} from '@aws-sdk/client-dynamodb-streams';
import { streamsSdk } from '../aws/streams-sdk.js';

const { DescribeStreamCommand, ListStreamsCommand } = streamsSdk;

/** ListStreams, every page: a present LastEvaluatedStreamArn does not promise more, so ask until absent. */
export async function listAllStreams(
  client: DynamoDBStreamsClient,
  table: string | undefined,
  signal?: AbortSignal,
): Promise<Stream[]> {
  const streams: Stream[] = [];
  let start: string | undefined;
  do {
    const page = await client.send(
      new ListStreamsCommand({ TableName: table, Limit: 100, ExclusiveStartStreamArn: start }),
      { abortSignal: signal },
    );
    streams.push(...(page.Streams ?? []));
    start = page.LastEvaluatedStreamArn;
  } while (start);
  return streams;
}

export interface DescribedStream {
  description: Omit<StreamDescription, 'Shards' | 'LastEvaluatedShardId'>;
  shards: Shard[];
}

/** DescribeStream, every page of shards (100 a page), until LastEvaluatedShardId is absent. */
export async function describeWholeStream(
  client: DynamoDBStreamsClient,
  streamArn: string,
  signal?: AbortSignal,
): Promise<DescribedStream> {
  const shards: Shard[] = [];
  const seen = new Set<string>();
  let start: string | undefined;
  let description: DescribedStream['description'] | undefined;
  do {
    const page = await client.send(
      new DescribeStreamCommand({ StreamArn: streamArn, Limit: 100, ExclusiveStartShardId: start }),
      { abortSignal: signal },
    );
    const { Shards, LastEvaluatedShardId, ...rest } = page.StreamDescription ?? {};
    description ??= rest;
    for (const shard of Shards ?? []) {
      // Pages can overlap when shards are added between calls; keep the first sighting.
      if (shard.ShardId && !seen.has(shard.ShardId)) {
        seen.add(shard.ShardId);
        shards.push(shard);
      }
    }
    start = LastEvaluatedShardId;
  } while (start);
  return { description: description ?? {}, shards };
}

/** A stream's status, view type and keys, without paging through its shards: one call. */
export async function describeStreamSummary(
  client: DynamoDBStreamsClient,
  streamArn: string,
  signal?: AbortSignal,
): Promise<DescribedStream['description']> {
  const page = await client.send(new DescribeStreamCommand({ StreamArn: streamArn, Limit: 1 }), { abortSignal: signal });
  const { Shards: _shards, LastEvaluatedShardId: _last, ...description } = page.StreamDescription ?? {};
  return description;
}

/**
 * The children of one shard: DescribeStream with ShardFilter CHILD_SHARDS, every page. Answers
 * `ignored` when the endpoint answered with shards that are not children (it does not know the
 * filter and listed everything); a rejected filter comes back as the service's error.
 */
export async function describeChildShards(
  client: DynamoDBStreamsClient,
  streamArn: string,
  shardId: string,
  signal?: AbortSignal,
): Promise<{ status: StreamDescription['StreamStatus']; shards: Shard[] } | 'ignored'> {
  const shards: Shard[] = [];
  let status: StreamDescription['StreamStatus'];
  let start: string | undefined;
  do {
    const page = await client.send(
      new DescribeStreamCommand({
        StreamArn: streamArn,
        Limit: 100,
        ExclusiveStartShardId: start,
        ShardFilter: { Type: 'CHILD_SHARDS', ShardId: shardId },
      }),
      { abortSignal: signal },
    );
    const description = page.StreamDescription ?? {};
    status ??= description.StreamStatus;
    for (const shard of description.Shards ?? []) {
      if (shard.ParentShardId !== shardId) return 'ignored';
      shards.push(shard);
    }
    start = description.LastEvaluatedShardId;
  } while (start);
  return { status, shards };
}
