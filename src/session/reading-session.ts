import type { AwsOptions } from '../aws/aws-options.js';
import { parseReadingOptions, type RawReadingOptions, type ReadingOptions } from '../options/reading-options.js';
import type { CommandContext } from '../io/command-context.js';
import { openClients } from '../aws/open-clients.js';
import type { AwsClients } from '../aws/clients.js';
import { parseStreamRef } from '../aws/stream-ref.js';
import { CheckpointStore } from '../stream/checkpoint.js';
import { readStream } from '../stream/reader.js';
import { resolveStream, type ResolvedStream } from '../stream/resolve-stream.js';
import { checkSequenceStart } from '../stream/sequence-check.js';
import { selectRecords, type CommitMark, type SelectedBatch } from '../stream/select-records.js';
import type { ReaderEvent } from '../stream/types.js';
import { DEFAULT_RETRY, type RetryPolicy } from '../stream/retry.js';
import { UsageError } from '../util/errors.js';
import type { GroupOptions } from '../options/group-options.js';
import { openGroupReading, type GroupReading } from './group-reading.js';
import { readerOptions } from './reader-options.js';

/** Where a session's progress is kept: a checkpoint file, or a consumer group's leases. */
export interface SessionCheckpoint {
  advance(shardId: string, sequenceNumber: string): void;
  finish(shardId: string): void;
  save(): Promise<void>;
}

/** What a status line may show of a consumer group. */
export interface GroupStatus {
  workerId: string;
  heldCount(): number;
}

/** What every kind of session gives its command: selected pages, and a checkpoint moved past those delivered. */
export interface PageSession {
  clients: AwsClients;
  reading: ReadingOptions;
  /** Selected pages (positions, --until, filters and -n applied). */
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

/** Everything tail, export and replay share before the first record: options, clients, stream, checkpoint. */
export interface ReadingSession extends PageSession {
  stream: ResolvedStream;
  checkpoint: SessionCheckpoint | undefined;
  /** The consumer group this session reads in, once reading (`--group`). */
  group: GroupStatus | undefined;
}

/** A stream named on the command line, found: the clients that reach it, and its ARN. */
export interface FoundStream {
  clients: AwsClients;
  stream: ResolvedStream;
}

/** Resolves a table name or stream ARN; the clients are released if that fails. */
export async function findStream(streamName: string, options: AwsOptions, context: CommandContext): Promise<FoundStream> {
  const ref = parseStreamRef(streamName);
  const clients = openClients(options, context.env, ref.kind === 'arn' ? ref.region : undefined);
  try {
    return { clients, stream: await resolveStream(ref, clients, context.signal) };
  } catch (error) {
    clients.destroy();
    throw error;
  }
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
  group?: GroupOptions,
): Promise<ReadingSession> {
  const defaultRetry = retryPolicyFromEnv(context.env);
  const found = await findStream(streamName, options, context);
  try {
    const file = reading.checkpoint ? await CheckpointStore.open(reading.checkpoint, found.stream.streamArn) : undefined;
    return await startReadingSession(found, { file, reading, defaultRetry, ...(group ? { group } : {}) }, context);
  } catch (error) {
    found.clients.destroy();
    throw error;
  }
}

/** What a found stream is read with. */
export interface SessionSettings {
  /** The stream's part of the checkpoint file, when there is one. */
  file: CheckpointStore | undefined;
  reading: ReadingOptions;
  defaultRetry: RetryPolicy;
  group?: GroupOptions;
}

/**
 * The session of a found stream and its checkpoint. A sequence-number `--from` is checked
 * first; on failure the caller releases the clients.
 */
export async function startReadingSession(found: FoundStream, settings: SessionSettings, context: CommandContext): Promise<ReadingSession> {
  const { clients, stream } = found;
  const { file, reading, defaultRetry, group } = settings;
  // A checkpoint with positions overrides --from; otherwise a number no shard holds is a usage error now, not an outage later.
  if (reading.from.kind === 'sequence' && !file?.shardIds().length) {
    await checkSequenceStart(clients.streams, stream, reading.from.sequenceNumber, context.signal);
  }
  let grouped: GroupReading | undefined;
  const session: ReadingSession = {
    clients,
    stream,
    reading,
    checkpoint: file,
    group: undefined,
    read({ follow, signal, onEvent, retry }) {
      const options = readerOptions(clients.streams, stream, reading, {
        start: reading.start.position, follow, signal, onEvent, checkpoint: file, retry: retry ?? defaultRetry,
      });
      if (group) {
        grouped = openGroupReading(group, clients, stream.streamArn, reading, follow);
        const { coordinator } = grouped;
        session.group = coordinator;
        session.checkpoint = {
          advance: (shardId, sequenceNumber) => coordinator.checkpoint(shardId, sequenceNumber, false),
          finish: (shardId) => coordinator.checkpoint(shardId, undefined, true),
          save: () => coordinator.flush(),
        };
        return selectRecords(grouped.read({ signal, stream: options }), reading);
      }
      return selectRecords(readStream(options), reading);
    },
    async commit(batch) {
      if (grouped) {
        grouped.coordinator.checkpoint(batch.shardId, batch.through, batch.end);
        // A finished shard's children wait for its SHARD_END: write that one at once.
        await (batch.end ? grouped.coordinator.flush() : grouped.coordinator.flushIfDue());
        return;
      }
      if (!file) return;
      if (batch.through) file.advance(batch.shardId, batch.through);
      if (batch.end) file.finish(batch.shardId);
      await file.saveIfDue();
    },
    async close() {
      try {
        await file?.save();
        await grouped?.coordinator.stop();
      } finally {
        clients.destroy();
      }
    },
  };
  return session;
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
