import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { ReadingOptions } from '../options/reading-options.js';
import type { ReadStreamOptions } from '../stream/reader.js';
import type { RetryPolicy } from '../stream/retry.js';
import type { ReaderEvent, StartPosition } from '../stream/types.js';
import type { CheckpointView } from '../stream/start-plan.js';

/** What one read of a stream adds to the reading rules: where it starts, and how it runs. */
export interface ReadRun {
  start: StartPosition;
  follow: boolean;
  retry: RetryPolicy;
  signal?: AbortSignal;
  onEvent?: ((event: ReaderEvent) => void) | undefined;
  checkpoint?: CheckpointView | undefined;
}

/**
 * The reader's options for one stream under the reading rules (`--until`, `--concurrency`,
 * `--poll-interval`, `--on-trimmed`): the same for a plain read, a backfill's stream part and
 * a group's, which differ only in where they start.
 */
export function readerOptions(client: DynamoDBStreamsClient, stream: { streamArn: string; table: string }, reading: ReadingOptions, run: ReadRun): ReadStreamOptions {
  return {
    client,
    streamArn: stream.streamArn,
    table: stream.table,
    start: run.start,
    follow: run.follow,
    ...(reading.until ? { until: reading.until } : {}),
    concurrency: reading.concurrency,
    pollIntervalMs: reading.pollIntervalMs,
    onTrimmed: reading.onTrimmed,
    ...(run.signal ? { signal: run.signal } : {}),
    ...(run.checkpoint ? { checkpoint: run.checkpoint } : {}),
    ...(run.onEvent ? { onEvent: run.onEvent } : {}),
    retry: run.retry,
  };
}
