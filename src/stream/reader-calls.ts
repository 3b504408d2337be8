import type { DynamoDBStreamsClient, GetRecordsCommandOutput } from '@aws-sdk/client-dynamodb-streams';
import { getRecordsRaw } from '../aws/raw-get-records.js';
import { streamsSdk } from '../aws/streams-sdk.js';
import type { Semaphore } from './async-queue.js';
import { describeWholeStream, type DescribedStream } from './describe.js';
import { StreamGoneError } from './errors.js';
import { withRetry, type RetryPolicy } from './retry.js';
import type { ReaderEvent, StartPosition } from './types.js';

const { GetShardIteratorCommand } = streamsSdk;

export interface ReaderCallSettings {
  client: DynamoDBStreamsClient;
  streamArn: string;
  retry: RetryPolicy;
  /** Shared by every shard: at most this many calls in flight. */
  slots: Semaphore;
  /** The reader's stop: aborts calls in flight and backoff waits. */
  signal: AbortSignal;
  emit: (event: ReaderEvent) => void;
}

/**
 * The three calls the reader makes, each waiting out throttling, 5xx answers and lost connections
 * (reported as backoff events) until the retry policy gives up. Each resolves to undefined when
 * the reader stops while it waits.
 */
export class ReaderCalls {
  constructor(private readonly settings: ReaderCallSettings) {}

  /** Every shard of the stream. A stream that no longer exists is a StreamGoneError. */
  async describe(): Promise<DescribedStream | undefined> {
    const { client, streamArn, signal } = this.settings;
    try {
      return await this.retried(() => describeWholeStream(client, streamArn, signal));
    } catch (error) {
      throw isNotFound(error) ? new StreamGoneError(streamArn, { cause: error }) : error;
    }
  }

  /**
   * GetShardIterator. It takes a slot like GetRecords: at start every shard wants an iterator,
   * and hundreds of calls at once would only be throttled. Service errors come as they are.
   */
  async iterator(shardId: string, position: StartPosition): Promise<string | undefined> {
    const { client, streamArn, signal } = this.settings;
    const input = {
      StreamArn: streamArn,
      ShardId: shardId,
      ShardIteratorType: position.type,
      ...('sequenceNumber' in position ? { SequenceNumber: position.sequenceNumber } : {}),
    };
    const release = await this.settings.slots.acquire();
    try {
      // A fresh command for every attempt, as the SDK expects.
      return (await this.retried(() => client.send(new GetShardIteratorCommand(input), { abortSignal: signal })))?.ShardIterator;
    } finally {
      release();
    }
  }

  /**
   * One GetRecords page. The caller holds a slot: it keeps it until the page is queued. The body
   * is read by getRecordsRaw, not the SDK's deserializer, which loses an attribute named
   * `__proto__`; errors are still the SDK's typed exceptions.
   */
  records(iterator: string, limit: number): Promise<GetRecordsCommandOutput | undefined> {
    const { client, signal } = this.settings;
    return this.retried(() => getRecordsRaw(client, { ShardIterator: iterator, Limit: limit }, { abortSignal: signal }));
  }

  private retried<T>(call: () => Promise<T>): Promise<T | undefined> {
    const { emit, retry, signal } = this.settings;
    return withRetry(call, retry, {
      onBackoff: (reason, delayMs, attempt) => emit({ type: 'backoff', reason, delayMs, attempt }),
      onRecovered: () => emit({ type: 'recovered' }),
    }, signal);
  }
}

/** ResourceNotFoundException: about the stream, or (from a shard call) possibly only the shard. */
export function isNotFound(error: unknown): boolean {
  return (error as Error | undefined)?.name === 'ResourceNotFoundException';
}
