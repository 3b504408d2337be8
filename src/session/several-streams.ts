import type { AwsOptions } from '../aws/aws-options.js';
import type { CommandContext } from '../io/command-context.js';
import { parseReadingOptions, type RawReadingOptions, type ReadingOptions } from '../options/reading-options.js';
import { AsyncQueue } from '../stream/async-queue.js';
import type { CommitMark, SelectedBatch } from '../stream/select-records.js';
import { CheckpointFile } from '../stream/checkpoint.js';
import type { ResolvedStream } from '../stream/resolve-stream.js';
import { RecordBudget } from './record-budget.js';
import { findStream, retryPolicyFromEnv, startReadingSession, type FoundStream, type ReadingSession } from './reading-session.js';
import { SeveralStreamsProgress, type StreamProgress } from './stream-progress.js';

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
  const sessions = await openStreamSessions(names, options, context, reading);
  const first = sessions[0]!;
  const owners = new Map<string, ReadingSession>();
  const progress = new SeveralStreamsProgress(sessions.map((s) => s.stream.table));
  return {
    clients: first.clients,
    stream: { streamArn: first.stream.streamArn, table: sessions.map((s) => s.stream.table).join(', '), label: first.stream.label },
    streams: sessions.map((s) => s.stream),
    tables: sessions.map((s) => s.stream.table),
    progress: () => progress.snapshot(),
    reading,
    // Each stream's part of the file moves with its own session (see commit).
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
      return merged(sources, new RecordBudget(reading.maxRecords), owners, progress, () => stop.abort());
    },
    async commit(mark: CommitMark) {
      await owners.get(mark.shardId)?.commit(mark);
    },
    async close() {
      await Promise.all(sessions.map((s) => s.close()));
    },
  };
}

/** A session of several streams: the streams it reads, in the order named. */
export interface SeveralStreamsSession extends ReadingSession {
  streams: ResolvedStream[];
  /** Each stream's table, in the same order. */
  tables: readonly string[];
  /** Each stream's records, shards and lag as of now, in the same order. */
  progress(): StreamProgress[];
}

/**
 * One session per stream, each reading with its share of `--concurrency`, and one checkpoint
 * file for all of them: each session moves its stream's part. A stream named twice (by table
 * name and by ARN) is read once. For a command that handles each stream on its own (replay runs
 * one event source mapping per stream).
 */
export async function openStreamSessions(
  names: readonly string[],
  options: AwsOptions & RawReadingOptions,
  context: CommandContext,
  reading: ReadingOptions = parseReadingOptions(options, new Date()),
): Promise<ReadingSession[]> {
  const defaultRetry = retryPolicyFromEnv(context.env);
  const found: FoundStream[] = [];
  const sessions: ReadingSession[] = [];
  try {
    for (const name of new Set(names)) {
      const stream = await findStream(name, options, context);
      if (found.some((f) => f.stream.streamArn === stream.stream.streamArn)) stream.clients.destroy();
      else found.push(stream);
    }
    // Each stream gets its share of the calls (at least one): together about --concurrency.
    const share = { ...reading, concurrency: Math.max(1, Math.floor(reading.concurrency / found.length)) };
    const file = reading.checkpoint ? await CheckpointFile.open(reading.checkpoint, found.map((f) => f.stream.streamArn)) : undefined;
    for (const stream of found) {
      sessions.push(await startReadingSession(stream, { file: file?.part(stream.stream.streamArn), reading: share, defaultRetry }, context));
    }
    return sessions;
  } catch (error) {
    await Promise.all(sessions.map((s) => s.close().catch(() => undefined)));
    for (const stream of found.slice(sessions.length)) stream.clients.destroy();
    throw error;
  }
}

/** The pages of every stream as they come, one page per stream waiting; stops once the budget (-n) is spent. */
async function* merged(
  sources: { session: ReadingSession; index: number; pages: AsyncGenerator<SelectedBatch> }[],
  budget: RecordBudget,
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
  try {
    for (;;) {
      const next = await queue.shift();
      if (!next) return;
      const page = budget.take(next.batch);
      if (!page) return;
      owners.set(page.shardId, next.session);
      progress.taken(next.index, page);
      yield page;
      if (budget.spent) return;
    }
  } finally {
    stopped = true;
    queue.close();
    onEnd();
  }
}
