import type { TailFormat, TailOptions } from './options.js';
import type { CommandContext } from '../../io/command-context.js';
import { UsageError } from '../../util/errors.js';
import type { StreamRecord, StreamViewType } from '../../records/record.js';
import { decideColor } from '../../render/color.js';
import type { RenderOptions } from '../../render/record-text.js';
import { plainRecordText } from '../../render/tail-line.js';
import { toNdjsonLine, toRawLine } from '../../render/ndjson.js';
import { openOutput } from '../../io/output.js';
import type { SelectedBatch } from '../../stream/select-records.js';
import type { ReaderEvent } from '../../stream/types.js';
import { DEFAULT_RETRY } from '../../stream/retry.js';
import { describeStreamSummary } from '../../stream/describe.js';
import { FlushedCommits } from '../../session/flushed-commits.js';
import { openReadingSession, type ReadingSession } from '../../session/reading-session.js';
import { terminalSafe } from '../../render/terminal-text.js';
import { describeReaderWarning } from '../../messages/reader-warning.js';
import { warnUndecodable } from '../../messages/undecodable.js';
import { unknownPaths, type UndecodableCount } from '../../records/attribute-kind.js';
import { keyConditionNote, keyNamesOf } from '../../messages/key-note.js';
import { StreamLag } from '../../stream/lag.js';
import { openSeveralStreams } from '../../session/several-streams.js';
import { assignTableColors } from '../../render/table-colors.js';

/** How long an interrupted tail waits for the reader of its output to take the last page. */
const INTERRUPTED_FLUSH_MS = 1_000;

/**
 * The interactive view needs a terminal on both ends: stdout to draw on, stdin for keys. Without
 * an explicit format a terminal gets `pretty` and a pipe the NDJSON line.
 */
export function chooseFormat(requested: TailFormat | undefined, stdoutIsTTY: boolean, stdinIsTTY: boolean): TailFormat {
  if (requested === 'pretty' && !(stdoutIsTTY && stdinIsTTY)) {
    throw new UsageError(
      `--format pretty needs a terminal on stdin and stdout (${stdoutIsTTY ? 'stdin' : 'stdout'} is not one): use --format plain or ndjson.`,
    );
  }
  if (requested) return requested;
  if (!stdoutIsTTY) return 'ndjson';
  return stdinIsTTY ? 'pretty' : 'plain';
}

/** Reader events fan out to whoever listens: the interactive view subscribes, pipes warn on stderr. */
function eventHub(): { emit: (event: ReaderEvent) => void; subscribe: (listener: (event: ReaderEvent) => void) => () => void } {
  const listeners = new Set<(event: ReaderEvent) => void>();
  return {
    emit: (event) => {
      for (const listener of listeners) listener(event);
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Moves the checkpoint past a page once the consumer has taken it and asks for the next; measures lag on the way. */
async function* committing(batches: AsyncIterable<SelectedBatch>, session: ReadingSession, lag: StreamLag): AsyncGenerator<SelectedBatch> {
  for await (const batch of batches) {
    lag.observe(batch.source);
    yield batch;
    await session.commit(batch);
  }
}

interface StreamShape {
  viewType: StreamViewType | undefined;
  /** Key attributes, partition key first. */
  keyNames: string[];
}

async function streamShape(session: ReadingSession, context: CommandContext): Promise<StreamShape> {
  // One page of DescribeStream: the view type tells the renderers what a missing image means,
  // the key schema in which order to show the keys.
  const description = await describeStreamSummary(session.clients.streams, session.stream.streamArn, context.signal);
  if (description.StreamStatus === 'DISABLED' || description?.StreamStatus === 'DISABLING') {
    context.stderr.write(`ddbstream: the stream of ${session.stream.table} is ${description.StreamStatus}: it keeps its last 24 hours of records but no new ones will arrive.\n`);
  }
  return {
    viewType: description.StreamViewType as StreamViewType | undefined,
    keyNames: keyNamesOf(description.KeySchema),
  };
}

export async function runTail(streamName: string | readonly string[], options: TailOptions, context: CommandContext): Promise<void> {
  const format = chooseFormat(options.format, Boolean(context.stdout.isTTY), Boolean(context.stdin.isTTY));
  const opened = typeof streamName === 'string' ? undefined : await openSeveralStreams(streamName, options, context);
  const session: ReadingSession = opened ?? await openReadingSession(streamName as string, options, context);
  // A stream named twice (by table name and by ARN) is read once: then it is a one-stream tail.
  const severalStreams = opened && opened.tables.length > 1 ? opened : undefined;
  const several = severalStreams !== undefined;
  // Leaving (q in the view, a closed pipe) stops the reader without it being an interruption.
  const stop = new AbortController();
  const reading = AbortSignal.any([context.signal, stop.signal]);
  try {
    for (const note of session.reading.filter.notes) context.stderr.write(`ddbstream: note: ${note}\n`);
    // Several streams: each record carries its own view type; keys are shown as they come.
    const { viewType, keyNames } = several ? { viewType: undefined, keyNames: [] } : await streamShape(session, context);
    const keyNote = several ? undefined : keyConditionNote(options.key ?? [], keyNames);
    if (keyNote) context.stderr.write(`ddbstream: note: ${keyNote}\n`);
    const events = eventHub();
    // A tail is watched, not scheduled: it waits out an outage for as long as it takes.
    const retry = { ...DEFAULT_RETRY, maxDelayMs: 10_000, giveUpAfterMs: Infinity };
    const pages = session.read({ follow: true, signal: reading, onEvent: events.emit, retry });
    const color = decideColor({ isTTY: context.stdout.isTTY, env: context.env, noColorFlag: !options.color });
    // Several tables share the output: each record's header keeps its table's name, in the table's colour.
    const tables = severalStreams ? { keepTable: true, tableColors: assignTableColors(severalStreams.tables) } : {};

    if (format === 'pretty') {
      const { runTailUi } = await import('../../ui/run-tail-ui.js');
      // Start and stop positions are not filters: the status area labels them apart.
      const positions = session.reading.description === 'from latest' ? undefined : session.reading.description;
      const lag = new StreamLag();
      events.subscribe((event) => lag.onEvent(event));
      await runTailUi({
        source: {
          batches: committing(pages, session, lag),
          subscribe: events.subscribe,
          lag: () => lag.behindMs(),
          // Several streams: a status line each (or one for all of them when there are many).
          ...(severalStreams ? { streams: () => severalStreams.progress() } : {}),
        },
        stream: session.stream.table,
        viewType,
        keyNames,
        filters: session.reading.filter.description || undefined,
        positions,
        initialMode: options.full ? 'full' : 'diff',
        wide: Boolean(options.wide),
        color,
        ...tables,
        stdout: context.stdout,
        stdin: context.stdin,
        stderr: context.stderr,
      });
      return;
    }

    let retrying = false;
    events.subscribe((event) => {
      const warning = describeReaderWarning(event, context.debug);
      if (warning) context.stderr.write(`ddbstream: ${warning}\n`);
      // One line when an outage starts and one when it ends, not one per attempt.
      if (event.type === 'backoff' && !retrying) {
        retrying = true;
        context.stderr.write(`ddbstream: ${terminalSafe(event.reason)}; reconnecting with backoff (Ctrl-C to stop)\n`);
      } else if (event.type === 'recovered' && retrying) {
        retrying = false;
        context.stderr.write('ddbstream: reconnected\n');
      }
    });
    const renderOptions: RenderOptions = {
      mode: options.full ? 'full' : 'diff',
      // A pipe has no width: cut only what is headed for a terminal.
      width: options.wide || !context.stdout.isTTY ? undefined : context.stdout.columns || 80,
      color,
      viewType,
      keyNames,
      ...tables,
    };
    let first = true;
    // Records shown with values ddbstream does not know: marked in their line or block, counted here.
    const undecodable: UndecodableCount = { records: 0 };
    const text = (record: StreamRecord): string => {
      if (format !== 'plain') return (format === 'raw' ? toRawLine(record, undecodable) : toNdjsonLine(record, undefined, undecodable)) + '\n';
      if (unknownPaths(record).length > 0) undecodable.records++;
      const block = plainRecordText(record, renderOptions, first);
      first = false;
      return block;
    };
    const sink = await openOutput(undefined, context.stdout);
    const commits = new FlushedCommits(session, sink);
    // Ctrl-C or SIGTERM: no new lines after the write under way, even if nobody reads them.
    const stopped = context.signal;
    try {
      for await (const batch of pages) {
        if (stopped.aborted) break;
        const write = batch.records.length ? await sink.write(batch.records.map(text).join(''), stopped) : undefined;
        commits.written(batch, write);
        await commits.commit();
        if (sink.closed) break;
      }
    } finally {
      // After Ctrl-C a reader that does not read gets a moment, not forever: the exit is due
      // within 2 s, and what it did not take stays out of the checkpoint.
      await sink.flush(stopped.aborted ? INTERRUPTED_FLUSH_MS : Infinity);
      await commits.commit();
    }
    warnUndecodable(undecodable, context);
  } finally {
    stop.abort();
    await session.close();
  }
}
