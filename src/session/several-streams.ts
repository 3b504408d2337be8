import type { AwsOptions } from '../aws/aws-options.js';
import type { CommandContext } from '../io/command-context.js';
import { parseReadingOptions, type RawReadingOptions, type ReadingOptions } from '../options/reading-options.js';
import { AsyncQueue } from '../stream/async-queue.js';
import type { CommitMark, SelectedBatch } from '../stream/select-records.js';
import { UsageError } from '../util/errors.js';
import { openReadingSession, type ReadingSession } from './reading-session.js';
import { SeveralStreamsProgress, type StreamProgress } from './stream-progress.js';

/** A session over several streams: one run of pages, and which tables they come from. */
export interface SeveralStreamsSession extends ReadingSession {
  /** Each stream's table, in the order the streams were given (a stream named twice, once). */
  tables: readonly string[];
  /** Each stream's records, shards and lag as of now, in the same order. */
  progress(): StreamProgress[];
}

/**
 * Several streams read at once as one run of pages (`ddbstream export Users Orders`). Each
 * stream has its own session and reader; `--concurrency` is shared out between them, `-n`
 * counts records of all of them, and a page's checkpoint mark goes back to the stream it came
 * from. Pages of one shard keep their order; streams interleave.
 */
export async function openSeveralStreams(
  names: readonly string[],
  options: AwsOptions & RawReadingOptions,
  context: CommandContext,
  reading: ReadingOptions = parseReadingOptions(options, new Date()),
): Promise<SeveralStreamsSession> {
  if (reading.checkpoint) {
    throw new UsageError('--checkpoint covers one stream for now: read the streams in separate runs, each with its own checkpoint file.');
  }
  const unique = [...new Set(names)];
  // Each stream gets its share of the calls; together they make no more than --concurrency.
  const share = { ...reading, concurrency: Math.max(1, Math.floor(reading.concurrency / unique.length)) };
  const sessions: ReadingSession[] = [];
  try {
    for (const name of unique) sessions.push(await openReadingSession(name, options, context, share));
  } catch (error) {
    await Promise.all(sessions.map((s) => s.close().catch(() => undefined)));
    throw error;
  }
  const first = sessions[0]!;
  const owners = new Map<string, ReadingSession>();
  const progress = new SeveralStreamsProgress(sessions.map((s) => s.stream.table));
  return {
    clients: first.clients,
    stream: { streamArn: first.stream.streamArn, table: sessions.map((s) => s.stream.table).join(', '), label: first.stream.label },
    tables: sessions.map((s) => s.stream.table),
    progress: () => progress.snapshot(),
    reading,
    checkpoint: undefined,
    group: undefined,
    read(settings) {
      // When the merged run ends (-n reached, the consumer left), every stream's reader stops too.
      const stop = new AbortController();
      const signal = AbortSignal.any([settings.signal, stop.signal]);
      // Each stream's events are its own for the per-stream status, and everyone's for the caller.
      const sources = sessions.map((session, index) => ({
        session,
        index,
        pages: session.read({
          ...settings,
          signal,
          onEvent: (event) => {
            progress.onEvent(index, event);
            settings.onEvent?.(event);
          },
        }),
      }));
      return merged(sources, reading.maxRecords, owners, progress, () => stop.abort());
    },
    async commit(mark: CommitMark) {
      await owners.get(mark.shardId)?.commit(mark);
    },
    async close() {
      await Promise.all(sessions.map((s) => s.close()));
    },
  };
}

/** The pages of every stream as they come, one page per stream waiting; stops after `maxRecords` in all. */
async function* merged(
  sources: { session: ReadingSession; index: number; pages: AsyncGenerator<SelectedBatch> }[],
  maxRecords: number | undefined,
  owners: Map<string, ReadingSession>,
  progress: SeveralStreamsProgress,
  onEnd: () => void,
): AsyncGenerator<SelectedBatch> {
  const queue = new AsyncQueue<{ batch: SelectedBatch; session: ReadingSession; index: number }>(sources.length);
  let running = sources.length;
  let stopped = false;
  for (const { session, index, pages } of sources) {
    void (async () => {
      // Leaving the loop ends the stream's generator, and with it its reader.
      for await (const batch of pages) {
        if (stopped) break;
        await queue.push({ batch, session, index });
        if (stopped) break;
      }
    })().then(
      () => {
        if (--running === 0) queue.close();
      },
      (error: unknown) => queue.fail(error),
    );
  }
  let left = maxRecords ?? Infinity;
  try {
    for (;;) {
      const next = await queue.shift();
      if (!next) return;
      const { batch, session, index } = next;
      owners.set(batch.shardId, session);
      if (batch.records.length < left) {
        left -= batch.records.length;
        progress.taken(index, batch);
        yield batch;
        continue;
      }
      // The last page: only as many records as -n leaves, and the shard is not finished.
      const records = batch.records.slice(0, left);
      const last = records[records.length - 1];
      const cut = { ...batch, records, end: batch.end && records.length === batch.records.length, ...(last ? { through: last.sequenceNumber } : {}) };
      progress.taken(index, cut);
      yield cut;
      return;
    }
  } finally {
    stopped = true;
    queue.close();
    onEnd();
  }
}
