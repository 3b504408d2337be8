import type { CommandContext } from '../../io/command-context.js';
import type { ReadingOptions } from '../../options/reading-options.js';
import type { GroupOptions } from '../../options/group-options.js';
import type { UndecodableCount } from '../../records/attribute-kind.js';
import { RecordCounts } from '../../records/record-counts.js';
import type { MappingSource } from '../../replay/mappings.js';
import { replayPages } from '../../replay/stream-source.js';
import { terminalSafe } from '../../render/terminal-text.js';
import { describeReaderWarning } from '../../messages/reader-warning.js';
import { keyConditionNote, keyNamesOf } from '../../messages/key-note.js';
import { sumScanStats, type ScanStatus } from '../../scan/scan-stats.js';
import type { BackfillSession } from '../../session/backfill-session.js';
import { RecordBudget, withinBudget } from '../../session/record-budget.js';
import { openOneSession } from '../../session/open-session.js';
import type { ReadingSession } from '../../session/reading-session.js';
import { openStreamSessions } from '../../session/several-streams.js';
import { describeStreamSummary } from '../../stream/describe.js';
import { StreamLag } from '../../stream/lag.js';
import type { SelectedBatch } from '../../stream/select-records.js';
import type { ReplayOptions } from './options.js';

/** One mapping's records, and the stream they come from as the summary names it. */
export interface NamedSource {
  name: string;
  source: MappingSource;
}

/** The streams' records for their mappings, and what to release when the run is over. */
export interface ReplaySources {
  /** One per stream, in the order named. */
  mappings: NamedSource[];
  /** The readers' lag, the largest over the shards of every stream (none for --input). */
  lag?: StreamLag;
  /** A backfill's scan (several tables' summed), while it runs. */
  scan?: ScanStatus;
  /** Records handed to the mappings, for --stats (per stream too, when several). */
  counts: RecordCounts;
  /** In a consumer group: the leases this worker holds now, for the progress line. */
  leasesHeld?: () => number;
  close(): Promise<void>;
}

export interface SourceHooks {
  onLine: (text: string) => void;
  undecodable: UndecodableCount;
  group: GroupOptions | undefined;
  /** Stops the readers: Ctrl-C, or a mapping that failed. */
  signal: AbortSignal;
}

/**
 * The streams through the shared reading sessions, each stream's pages for its own mapping (the
 * engine moves each stream's part of the checkpoint itself); with `--scan`, each table's
 * backfill for its own mapping. Several streams share `--concurrency` and `-n`: once `-n`
 * records went to the mappings together, every reader stops.
 * Loaded only when a stream is replayed, after the handler's process has been started.
 */
export async function openReplaySources(
  streams: readonly string[],
  options: ReplayOptions,
  reading: ReadingOptions,
  context: CommandContext,
  hooks: SourceHooks,
): Promise<ReplaySources> {
  const sessions = streams.length > 1
    ? await openSeveral(streams, options, reading, context)
    : [await openOneSession(streams[0]!, options, context, reading, hooks.group)];
  const close = async (): Promise<void> => {
    await Promise.all(sessions.map((session) => session.close()));
  };
  try {
    const only = sessions.length === 1 ? sessions[0]! : undefined;
    if (options.key?.length && only && 'stream' in only) await keyNote(only, options.key, context, hooks.onLine);
    const lag = new StreamLag();
    const counts = new RecordCounts(sessions.map((session) => ('stream' in session ? session.stream.streamArn : session.table.stream?.streamArn ?? '')));
    const budget = new RecordBudget(reading.maxRecords);
    const enough = new AbortController();
    const signal = AbortSignal.any([hooks.signal, enough.signal]);
    const names = sessionNames(sessions);
    const mappings = sessions.map((session, i): NamedSource => {
      const batches = session.read({
        follow: Boolean(options.follow),
        signal,
        onEvent: (event) => {
          lag.onEvent(event);
          const warning = describeReaderWarning(event, context.debug);
          if (warning) hooks.onLine(`replay: ${warning}`);
          else if (event.type === 'backoff' && event.attempt === 1) hooks.onLine(`replay: ${terminalSafe(event.reason)}; retrying with backoff`);
          else if (event.type === 'recovered') hooks.onLine('replay: reading again');
        },
      });
      const pages = withinBudget(batches, budget, () => enough.abort());
      // The checkpoint of a group's session exists once it reads: taken after read().
      const checkpoint = session.checkpoint;
      return { name: names[i]!, source: { pages: replayPages(observed(pages, lag, counts), hooks.undecodable), ...(checkpoint ? { checkpoint } : {}) } };
    });
    const group = only && 'group' in only ? only : undefined;
    const scans = sessions.flatMap((session) => ('scan' in session ? [session.scan] : []));
    return {
      mappings,
      lag,
      ...(scans.length ? { scan: scans.length === 1 ? scans[0]! : sumScanStats(scans) } : {}),
      ...(group?.group ? { leasesHeld: () => group.group?.heldCount() ?? 0 } : {}),
      counts,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Several streams, a reading session each, or (`--scan`) several tables, a backfill each. */
async function openSeveral(
  streams: readonly string[],
  options: ReplayOptions,
  reading: ReadingOptions,
  context: CommandContext,
): Promise<Array<ReadingSession | BackfillSession>> {
  if (!options.scan) return openStreamSessions(streams, options, context, reading);
  const { openBackfillSessions } = await import('../../session/several-backfills.js');
  return openBackfillSessions(streams, options, context, reading);
}

/** A --key that names no key attribute of the table may not do what was meant: one note. */
async function keyNote(session: ReadingSession, key: string[], context: CommandContext, onLine: (text: string) => void): Promise<void> {
  const { KeySchema } = await describeStreamSummary(session.clients.streams, session.stream.streamArn, context.signal);
  const note = keyConditionNote(key, keyNamesOf(KeySchema));
  if (note) onLine(`replay: note: ${note}`);
}

/** The name of each stream in the summary: its table, with the stream's label when two streams of one table are replayed. */
function sessionNames(sessions: ReadonlyArray<ReadingSession | BackfillSession>): string[] {
  const tables = sessions.map((session) => ('stream' in session ? session.stream.table : session.table.table));
  return sessions.map((session, i) => {
    const twice = tables.filter((table) => table === tables[i]).length > 1;
    return twice && 'stream' in session ? `${tables[i]} (${session.stream.label})` : tables[i]!;
  });
}

/** Pages as the engine takes them, counted and measured for lag on their way. */
async function* observed(batches: AsyncIterable<SelectedBatch>, lag: StreamLag, counts: RecordCounts): AsyncGenerator<SelectedBatch> {
  for await (const batch of batches) {
    lag.observe(batch.source);
    counts.add(batch.records);
    yield batch;
  }
}
