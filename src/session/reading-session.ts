import type { AwsOptions } from '../aws/aws-options.js';
import { parseReadingOptions, type RawReadingOptions, type ReadingOptions } from '../options/reading-options.js';
import type { CommandContext } from '../io/command-context.js';
import { openClients } from '../aws/open-clients.js';
import type { AwsClients } from '../aws/clients.js';
import { parseStreamRef } from '../aws/stream-ref.js';
import { CheckpointStore } from '../stream/checkpoint.js';
import { readStream, type ReadStreamOptions } from '../stream/reader.js';
import { resolveStream, type ResolvedStream } from '../stream/resolve-stream.js';
import { checkSequenceStart } from '../stream/sequence-check.js';
import { selectRecords, type CommitMark, type SelectedBatch } from '../stream/select-records.js';
import type { ReaderEvent } from '../stream/types.js';
import { DEFAULT_RETRY, type RetryPolicy } from '../stream/retry.js';
import { UsageError } from '../util/errors.js';

/** Everything tail, export and replay share before the first record: options, clients, stream, checkpoint. */
export interface ReadingSession {
  clients: AwsClients;
  stream: ResolvedStream;
  reading: ReadingOptions;
  checkpoint: CheckpointStore | undefined;
  /** Selected pages of the stream (positions, --until, filters and -n applied). */
  read(settings: {
    follow: boolean;
    signal: AbortSignal;
    onEvent?: (event: ReaderEvent) => void;
    retry?: RetryPolicy;
  }): AsyncGenerator<SelectedBatch>;
  /** Move the checkpoint (if any) past a delivered page, and save it now and then. */
  commit(batch: CommitMark): Promise<void>;
  close(): Promise<void>;
}

/**
 * Validates every option before any network call (a typo fails at once with exit 2), then
 * resolves the stream and opens the checkpoint, refusing one of another stream. A command that
 * validated the reading options earlier (replay, before it starts the handler) passes them in.
 */
export async function openReadingSession(
  streamName: string,
  options: AwsOptions & RawReadingOptions,
  context: CommandContext,
  reading: ReadingOptions = parseReadingOptions(options, new Date()),
): Promise<ReadingSession> {
  const defaultRetry = retryPolicyFromEnv(context.env);
  const ref = parseStreamRef(streamName);
  const clients = openClients(options, context.env, ref.kind === 'arn' ? ref.region : undefined);
  try {
    const stream = await resolveStream(ref, clients, context.signal);
    const checkpoint = reading.checkpoint ? await CheckpointStore.open(reading.checkpoint, stream.streamArn) : undefined;
    // A checkpoint with positions overrides --from; otherwise a number no shard holds is a usage error now, not an outage later.
    if (reading.from.kind === 'sequence' && !checkpoint?.shardIds().length) {
      await checkSequenceStart(clients.streams, stream, reading.from.sequenceNumber, context.signal);
    }
    return {
      clients,
      stream,
      reading,
      checkpoint,
      read({ follow, signal, onEvent, retry }) {
        const readerOptions: ReadStreamOptions = {
          client: clients.streams,
          streamArn: stream.streamArn,
          table: stream.table,
          start: reading.start.position,
          follow,
          ...(reading.until ? { until: reading.until } : {}),
          concurrency: reading.concurrency,
          pollIntervalMs: reading.pollIntervalMs,
          onTrimmed: reading.onTrimmed,
          signal,
          ...(checkpoint ? { checkpoint } : {}),
          ...(onEvent ? { onEvent } : {}),
          retry: retry ?? defaultRetry,
        };
        return selectRecords(readStream(readerOptions), reading);
      },
      async commit(batch) {
        if (!checkpoint) return;
        if (batch.through) checkpoint.advance(batch.shardId, batch.through);
        if (batch.end) checkpoint.finish(batch.shardId);
        await checkpoint.saveIfDue();
      },
      async close() {
        try {
          await checkpoint?.save();
        } finally {
          clients.destroy();
        }
      },
    };
  } catch (error) {
    clients.destroy();
    throw error;
  }
}

/**
 * How long a run waits out an endpoint that throttles, fails or cannot be reached before it
 * gives up (60 s). DDBSTREAM_RETRY_GIVE_UP_MS tunes it, in milliseconds.
 */
export function retryPolicyFromEnv(env: NodeJS.ProcessEnv): RetryPolicy {
  const text = env.DDBSTREAM_RETRY_GIVE_UP_MS?.trim();
  if (!text) return DEFAULT_RETRY;
  if (!/^\d{1,9}$/.test(text) || Number(text) < 1) {
    throw new UsageError(`DDBSTREAM_RETRY_GIVE_UP_MS "${text}" is not a positive whole number of milliseconds (e.g. 60000)`);
  }
  return { ...DEFAULT_RETRY, giveUpAfterMs: Number(text) };
}
