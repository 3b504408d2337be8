import type { AwsOptions } from '../aws/aws-options.js';
import type { CommandContext } from '../io/command-context.js';
import { parseReadingOptions, type RawReadingOptions, type ReadingOptions } from '../options/reading-options.js';
import { CheckpointFile, type CheckpointStore } from '../stream/checkpoint.js';
import type { ResolvedStream } from '../stream/resolve-stream.js';
import { mergePages } from './merged-pages.js';
import { findStream, retryPolicyFromEnv, startReadingSession, type PageSession, type ReadingSession } from './reading-session.js';
import type { StreamProgress } from './stream-progress.js';

/**
 * Several streams read at once as one run of pages (`ddbstream export Users Orders`). Each
 * stream has its own session and reader; `--concurrency` is shared out between them, `-n`
 * counts records of all of them, and a page's checkpoint mark goes back to the stream it came
 * from (`merged-pages.ts`). Pages of one shard keep their order; streams interleave.
 */
export async function openSeveralStreams(
  names: readonly string[],
  options: AwsOptions & RawReadingOptions,
  context: CommandContext,
  reading: ReadingOptions = parseReadingOptions(options, new Date()),
): Promise<SeveralStreamsSession> {
  const sessions = await openStreamSessions(names, options, context, reading);
  const first = sessions[0]!;
  const tables = sessions.map((s) => s.stream.table);
  return {
    ...mergePages(sessions, tables, reading),
    clients: first.clients,
    stream: { streamArn: first.stream.streamArn, table: tables.join(', '), label: first.stream.label },
    streams: sessions.map((s) => s.stream),
    streamArns: sessions.map((s) => s.stream.streamArn),
    tables,
    reading,
    // Each stream's part of the file moves with its own session (see mergePages).
    checkpoint: undefined,
    group: undefined,
  };
}

/** What a status line and `--stats` need of several sessions read as one. */
export interface SeveralSessions {
  /** Each one's table, in the order named. */
  tables: readonly string[];
  /** Each one's stream ARN, in the same order ('' for a table without a stream). */
  streamArns: readonly string[];
  /** Each one's records, shards and lag as of now, in the same order. */
  progress(): StreamProgress[];
}

/** A session of several streams: the streams it reads, in the order named. */
export interface SeveralStreamsSession extends ReadingSession, SeveralSessions {
  streams: ResolvedStream[];
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
  return openEach(names, reading, {
    find: (name) => findStream(name, options, context),
    partOf: (found) => found.stream.streamArn,
    release: (found) => found.clients.destroy(),
    start: (found, file, share) => startReadingSession(found, { file, reading: share, defaultRetry }, context),
  });
}

/** How `openEach` finds, keys, releases and starts what it opens. */
export interface OpenEachSteps<F, S> {
  find(name: string): Promise<F>;
  /** The ARN its part of the checkpoint file is tied to; two names with one part are opened once. */
  partOf(found: F): string;
  release(found: F): void;
  start(found: F, file: CheckpointStore | undefined, share: ReadingOptions): Promise<S>;
}

/**
 * One session for each name, in order, each reading with its share of `--concurrency` (at least
 * one call: together about --concurrency), and one checkpoint file for all of them, opened once
 * with every part it has to hold, each session given its own. A name that comes to a part
 * already opened (a table by its name and by its stream's ARN) is dropped. If any step fails,
 * what was opened is released.
 */
export async function openEach<F, S extends Pick<PageSession, 'close'>>(
  names: readonly string[],
  reading: ReadingOptions,
  steps: OpenEachSteps<F, S>,
): Promise<S[]> {
  const found: F[] = [];
  const sessions: S[] = [];
  try {
    for (const name of new Set(names)) {
      const one = await steps.find(name);
      if (found.some((f) => steps.partOf(f) === steps.partOf(one))) steps.release(one);
      else found.push(one);
    }
    const share = { ...reading, concurrency: Math.max(1, Math.floor(reading.concurrency / found.length)) };
    const file = reading.checkpoint ? await CheckpointFile.open(reading.checkpoint, found.map(steps.partOf)) : undefined;
    for (const one of found) sessions.push(await steps.start(one, file?.part(steps.partOf(one)), share));
    return sessions;
  } catch (error) {
    await Promise.all(sessions.map((s) => s.close().catch(() => undefined)));
    for (const one of found.slice(sessions.length)) steps.release(one);
    throw error;
  }
}
