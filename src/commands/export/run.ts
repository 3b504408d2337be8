import type { ExportOptions } from './options.js';
import type { CommandContext } from '../../io/command-context.js';
import { UsageError } from '../../util/errors.js';
import { diffImages } from '../../records/diff.js';
import { diffToJson } from '../../render/diff-json.js';
import { toNdjsonLine, toRawLine } from '../../render/ndjson.js';
import type { StreamRecord } from '../../records/record.js';
import { commitMark, type CommitMark, type SelectedBatch } from '../../stream/select-records.js';
import { checkOutputPath, openOutput } from '../../io/output.js';
import { ProgressLine, formatCount } from '../../io/progress-line.js';
import { FlushedCommits } from '../../session/flushed-commits.js';
import type { ReadingSession } from '../../session/reading-session.js';
import { terminalSafe } from '../../render/terminal-text.js';
import { describeReaderWarning } from '../../messages/reader-warning.js';
import { warnUndecodable } from '../../messages/undecodable.js';
import type { UndecodableCount } from '../../records/attribute-kind.js';
import { plural } from '../../util/plural.js';
import { keyConditionNote, keyNamesOf } from '../../messages/key-note.js';
import { describeStreamSummary } from '../../stream/describe.js';
import { parseReadingOptions, type ReadingOptions } from '../../options/reading-options.js';
import { parseGroupOptions, type GroupOptions } from '../../options/group-options.js';
import type { BackfillSession } from '../../session/backfill-session.js';
import { openOneSession } from '../../session/open-session.js';
import { openSeveralStreams, type SeveralStreamsSession } from '../../session/several-streams.js';
import { openSeveralBackfills, type SeveralBackfillsSession } from '../../session/several-backfills.js';
import { scanStatusText } from '../../scan/scan-stats.js';
import { StreamLag } from '../../stream/lag.js';
import { lagText, mostBehindText } from '../../render/lag-text.js';
import { RecordCounts } from '../../records/record-counts.js';
import { statsJson } from '../../render/stats-json.js';

/** How long an interrupted export waits for the reader of its output to take the last page. */
const INTERRUPTED_FLUSH_MS = 1_000;
/**
 * Characters per write (whole lines): large enough to be cheap, and well under a pipe's 64 KiB
 * so that a write can leave the process even while the reader lags.
 */
const WRITE_CHARS = 16 * 1024;

export async function runExport(streamName: string | readonly string[], options: ExportOptions, context: CommandContext): Promise<void> {
  if (options.raw && options.diff) throw new UsageError('--raw writes Lambda records, which have no diff: use --raw or --diff, not both');
  // Records written with values ddbstream does not know (marked "undecodable" in their line).
  const undecodable: UndecodableCount = { records: 0 };
  const format = options.raw
    ? (r: StreamRecord) => toRawLine(r, undecodable)
    : options.diff
      ? (r: StreamRecord) => toNdjsonLine(r, { diff: diffJson(r) }, undecodable)
      : (r: StreamRecord) => toNdjsonLine(r, undefined, undecodable);

  // A bad -o fails before any network call; the file itself is created once the stream is found.
  if (options.output !== undefined) await checkOutputPath(options.output);
  const reading = parseReadingOptions(options, new Date());
  const group = parseGroupOptions(options, reading.checkpoint);
  const session = await openSession(streamName, options, context, reading, group);
  const scan = 'scan' in session ? session.scan : undefined;
  // One DescribeStream call for the key schema, only when --key is given for one stream.
  const keySchema$ = options.key?.length && 'stream' in session && typeof streamName === 'string'
    ? describeStreamSummary(session.clients.streams, session.stream.streamArn, context.signal).then((d) => d.KeySchema)
    : undefined;
  const sink = await Promise.all([openOutput(options.output, context.stdout), keySchema$]).then(([opened, keySchema]) => {
    const note = keySchema && keyConditionNote(options.key ?? [], keyNamesOf(keySchema));
    if (note) context.stderr.write(`ddbstream: note: ${note}\n`);
    return opened;
  }).catch(async (error: unknown) => {
    await session.close();
    throw error;
  });
  for (const note of session.reading.filter.notes) context.stderr.write(`ddbstream: note: ${note}\n`);

  // Only for a terminal, and not while the lines themselves go to it: the status line would
  // land in the middle of them (and they show the progress anyway).
  const linesOnTerminal = options.output === undefined && Boolean(context.stdout.isTTY);
  const progress = new ProgressLine(context.stderr, Boolean(context.stderr.isTTY) && !options.quiet && !linesOnTerminal);
  const started = Date.now();
  let written = 0;
  let shardsDone = 0;
  let shardsTotal = 0;
  let backoff: string | undefined;
  const lag = new StreamLag();
  const counts = new RecordCounts('streamArns' in session ? session.streamArns : undefined);
  // Several streams: how many, their shards together, and the one most behind.
  const streams = 'progress' in session && session.tables.length > 1 ? () => session.progress() : undefined;
  const status = (): string => {
    const seconds = Math.max(0.001, (Date.now() - started) / 1000);
    const leases = 'group' in session && session.group ? ` · ${plural(session.group.heldCount(), 'lease')} held` : '';
    const each = streams?.();
    const total = each ? each.reduce((sum, s) => sum + (s.shards?.total ?? 0), 0) : shardsTotal;
    return (scan?.scanning ? `${scanStatusText(scan)} · ` : '') +
      `exported ${plural(written, 'record')}${each ? ` · ${plural(each.length, 'stream')}` : ''} · shards ${shardsDone}/${total} done${leases}` +
      ` · ${formatCount(Math.round(written / seconds))} rec/s` + (backoff ? ` · ${backoff}` : '') +
      withLag(each ? mostBehindText(each) : lagText(lag.behindMs()));
  };

  // Pages written but not yet out of the process: the checkpoint passes a page only once its
  // lines have left. Only the marks are kept, not the pages.
  const commits = new FlushedCommits(session, sink);
  // Ctrl-C, SIGTERM or a closed pipe: no new lines after the write under way.
  const stopped = context.signal;
  // In a group, a shard read to its tip is let go only once its last lines have left: commit
  // while no page comes, too (the next page may wait on exactly that).
  const idleCommits = group ? setInterval(() => void commits.commit().catch(() => undefined), 100) : undefined;

  // A page goes out in writes of whole lines, each small enough for a slow reader to take in a
  // moment: after Ctrl-C only what is already written has to reach it, and the checkpoint
  // can pass each write's last record on its own.
  const writePage = async (batch: SelectedBatch): Promise<void> => {
    const mark = commitMark(batch);
    const chunks = formatPage(batch.records, format, mark);
    // The lines are all there is left to write: the records and the SDK objects under them can
    // go now, while they are still young, instead of after the pipe has taken the page (by then
    // the next page has been parsed, and they would be promoted to the old generation).
    batch.records.length = 0;
    batch.source.records.length = 0;
    if (!chunks.length) {
      commits.written(mark);
      return;
    }
    for (const chunk of chunks) {
      const write = await sink.write(chunk.data, stopped);
      written += chunk.lines;
      commits.written(chunk.mark, write);
      if (stopped.aborted || sink.closed) return; // the rest of the page is left for the next run
    }
  };

  try {
    const batches = session.read({
      follow: Boolean(options.follow),
      signal: context.signal,
      onEvent: (event) => {
        lag.onEvent(event);
        if (event.type === 'describe') shardsTotal = event.shards;
        else if (event.type === 'shard-end') shardsDone++;
        else if (event.type === 'backoff') backoff = `retrying (${terminalSafe(event.reason)})`;
        else if (event.type === 'recovered') backoff = undefined;
        const warning = describeReaderWarning(event, context.debug);
        if (warning) progress.line(`ddbstream: ${warning}`);
      },
    });
    for await (const batch of batches) {
      if (stopped.aborted) break;
      lag.observe(batch.source);
      counts.add(batch.records);
      await writePage(batch);
      await commits.commit();
      progress.update(status);
      if (sink.closed) break;
    }
  } finally {
    clearInterval(idleCommits);
    progress.clear();
    try {
      // After Ctrl-C a reader that does not read gets a moment, not forever: the exit is due
      // within 2 s, and what it did not take stays out of the checkpoint.
      await sink.flush(stopped.aborted ? INTERRUPTED_FLUSH_MS : Infinity);
      await commits.commit();
      await sink.close();
    } finally {
      await session.close();
    }
  }
  if (context.stderr.isTTY && !options.quiet && !context.signal.aborted) {
    context.stderr.write(`ddbstream: exported ${plural(written, 'record')}${options.output ? ` to ${options.output}` : ''}\n`);
  }
  if (options.stats) context.stderr.write(statsJson(counts, lag.largestMs) + '\n');
  warnUndecodable(undecodable, context);
}

function withLag(text: string | undefined): string {
  return text ? ` · ${text}` : '';
}

/** One stream, a backfill of one (alone or shared by a group), or several streams (or backfills) at once. */
async function openSession(
  names: string | readonly string[],
  options: ExportOptions,
  context: CommandContext,
  reading: ReadingOptions,
  group: GroupOptions | undefined,
): Promise<ReadingSession | SeveralStreamsSession | BackfillSession | SeveralBackfillsSession> {
  if (typeof names !== 'string') {
    if (group) throw new UsageError('--group shares one stream: start one group per stream.');
    return options.scan ? openSeveralBackfills(names, options, context, reading) : openSeveralStreams(names, options, context, reading);
  }
  return openOneSession(names, options, context, reading, group);
}


interface PageChunk {
  /** Whole lines, UTF-8: compact, unlike the string pieces they were built from. */
  data: Uint8Array;
  lines: number;
  /** How far the checkpoint may go once this chunk has left the process. */
  mark: CommitMark;
}

/** A page's lines in writes of about WRITE_CHARS characters; the last one carries the page's own mark. */
function formatPage(records: StreamRecord[], format: (record: StreamRecord) => string, pageMark: CommitMark): PageChunk[] {
  const chunks: PageChunk[] = [];
  let text = '';
  let lines = 0;
  for (let i = 0; i < records.length; i++) {
    text += format(records[i]!) + '\n';
    lines++;
    const last = i === records.length - 1;
    if (!last && text.length < WRITE_CHARS) continue;
    const mark = last ? pageMark : { shardId: pageMark.shardId, through: records[i]!.sequenceNumber, end: false };
    chunks.push({ data: Buffer.from(text, 'utf8'), lines, mark });
    text = '';
    lines = 0;
  }
  return chunks;
}


/**
 * The `diff` of a line: old → new image, or null when the stream's view type leaves out an image
 * the event needs (a MODIFY on a NEW_IMAGE stream has no old image): "everything was added"
 * would be invented.
 */
function diffJson(record: StreamRecord): string {
  const { eventName, oldImage, newImage } = record;
  const complete = eventName === 'INSERT' ? newImage : eventName === 'REMOVE' ? oldImage : oldImage && newImage;
  return complete ? diffToJson(diffImages(oldImage, newImage)) : 'null';
}
