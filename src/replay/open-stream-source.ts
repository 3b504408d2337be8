import type { ReplayOptions } from '../cli/replay-command.js';
import type { ReadingOptions } from '../cli/reading-options.js';
import type { CommandContext } from '../context.js';
import { openClients } from '../aws/open-clients.js';
import { parseStreamRef } from '../aws/stream-ref.js';
import { CheckpointStore } from '../stream/checkpoint.js';
import { readStream } from '../stream/reader.js';
import { resolveStream } from '../stream/resolve-stream.js';
import type { ReaderEvent } from '../stream/types.js';
import type { CheckpointSink, ReplayPage } from './engine-types.js';
import { streamPages } from './stream-source.js';

/** Where the records come from, and what to release when the run is over. */
export interface ReplaySource {
  pages: AsyncIterable<ReplayPage>;
  checkpoint?: CheckpointSink;
  /** Reading a live stream: lag is worth showing. */
  live: boolean;
  close(): Promise<void>;
}

/** Resolves the stream, opens the checkpoint, and reads from the start position (or the checkpoint). */
export async function openStreamSource(
  stream: string,
  options: ReplayOptions,
  reading: ReadingOptions,
  context: CommandContext,
  onReaderEvent: (event: ReaderEvent) => void,
): Promise<ReplaySource> {
  const ref = parseStreamRef(stream);
  const clients = openClients(options, context.env, ref.kind === 'arn' ? ref.region : undefined);
  try {
    const resolved = await resolveStream(ref, clients, context.signal);
    const checkpoint = reading.checkpoint ? await CheckpointStore.open(reading.checkpoint, resolved.streamArn) : undefined;
    const batches = readStream({
      client: clients.streams,
      streamArn: resolved.streamArn,
      table: resolved.table,
      start: reading.start.position,
      follow: Boolean(options.follow),
      concurrency: reading.concurrency,
      pollIntervalMs: reading.pollIntervalMs,
      onTrimmed: reading.onTrimmed,
      ...(checkpoint ? { checkpoint } : {}),
      signal: context.signal,
      onEvent: onReaderEvent,
    });
    return {
      pages: streamPages(batches, {
        ...(reading.start.skip ? { skip: reading.start.skip } : {}),
        ...(reading.pastUntil ? { pastUntil: reading.pastUntil } : {}),
      }),
      ...(checkpoint ? { checkpoint } : {}),
      live: true,
      close: async () => {
        await checkpoint?.save();
        clients.destroy();
      },
    };
  } catch (error) {
    clients.destroy();
    throw error;
  }
}

/** A line for the reader's notices worth a user's attention; quiet for routine ones. */
export function describeReaderEvent(event: ReaderEvent): string | undefined {
  switch (event.type) {
    case 'backoff':
      return event.attempt === 1 ? `replay: ${event.reason}; retrying with backoff` : undefined;
    case 'recovered':
      return 'replay: reading again';
    case 'trimmed':
      return `replay: warning: ${event.message}`;
    case 'checkpoint-shard-missing':
      return `replay: warning: shard ${event.shardId} of the checkpoint no longer exists (trimmed); its lineage starts at TRIM_HORIZON`;
    default:
      return undefined;
  }
}
