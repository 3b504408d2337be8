import { STREAM_ONLY_OPTIONS, type ReplayOptions } from './options.js';
import { withEsmFile } from './esm-options.js';
import { printEsm } from './print-esm.js';
import { parseReadingOptions, type ReadingOptions } from '../../options/reading-options.js';
import type { CommandContext } from '../../io/command-context.js';
import { ProgressLine } from '../../io/progress-line.js';
import { RuntimeError, UsageError } from '../../util/errors.js';
import { describeEvent, progressLine, summaryLine } from '../../replay/event-text.js';
import { ReplayEngine } from '../../replay/engine.js';
import type { RecordFilter } from '../../replay/engine-types.js';
import { checkFailureFile, FailureFile } from '../../replay/failure-file.js';
import { functionArnFor } from '../../replay/failure-record.js';
import { resolveHandlerSpec } from '../../replay/handler-spec.js';
import { inputPages, readInputFile } from '../../replay/input-file.js';
import { checkReplayable, parseMappingSettings } from '../../replay/options.js';
import { replayPages } from '../../replay/stream-source.js';
import type { ReplayPage, CheckpointSink } from '../../replay/engine-types.js';
import { RUNNER_PATH } from '../../replay/runner-path.js';
import { startHandler } from '../../replay/start-handler.js';
import { watchHandler } from '../../replay/watch-handler.js';
import { terminalSafe } from '../../render/terminal-text.js';
import { describeReaderWarning } from '../../messages/reader-warning.js';
import { describeUndecodable } from '../../messages/undecodable.js';
import type { UndecodableCount } from '../../records/attribute-kind.js';
import { plural } from '../../util/plural.js';
import { rerunCommand } from './rerun.js';
import { keyConditionNote, keyNamesOf } from '../../messages/key-note.js';
import { describeStreamSummary } from '../../stream/describe.js';
import { parseGroupOptions, type GroupOptions } from '../../options/group-options.js';
import { StreamLag } from '../../stream/lag.js';
import type { SelectedBatch } from '../../stream/select-records.js';
import { lagText } from '../../render/lag-text.js';
import { RecordCounts } from '../../records/record-counts.js';
import { statsJson } from '../../render/stats-json.js';
import { scanStatusText, type ScanStats } from '../../scan/scan-stats.js';

const MAX_WORKERS = 16;

type ReadingSessionModule = typeof import('../../session/reading-session.js');
type BackfillSessionModule = typeof import('../../session/backfill-session.js');
type GroupBackfillModule = typeof import('../../session/group-backfill.js');

/** Where the records come from, and what to release when the run is over. */
interface ReplaySource {
  pages: AsyncIterable<ReplayPage>;
  checkpoint?: CheckpointSink;
  /** Reading a live stream: lag is worth showing. */
  live: boolean;
  /** The reader's lag, when reading a stream. */
  lag?: StreamLag;
  /** A backfill's scan, while it runs. */
  scan?: ScanStats;
  close(): Promise<void>;
}

/** The stream through the shared reading session; the engine moves the checkpoint itself. */
async function openStream(
  session$: Promise<ReadingSessionModule>,
  stream: string,
  options: ReplayOptions,
  reading: ReadingOptions,
  context: CommandContext,
  onLine: (text: string) => void,
  undecodable: UndecodableCount,
  group: GroupOptions | undefined,
  counts: RecordCounts,
): Promise<ReplaySource> {
  const { openReadingSession } = await session$;
  const session = options.scan
    ? group
      ? await (await groupBackfill$()).openGroupBackfill(stream, options, context, reading, group)
      : await (await backfill$()).openBackfillSession(stream, options, context, reading)
    : await openReadingSession(stream, options, context, reading, group);
  const lag = new StreamLag();
  if (options.key?.length && 'stream' in session) {
    const { KeySchema } = await describeStreamSummary(session.clients.streams, session.stream.streamArn, context.signal)
      .catch(async (error: unknown) => {
        await session.close();
        throw error;
      });
    const note = keyConditionNote(options.key, keyNamesOf(KeySchema));
    if (note) onLine(`replay: note: ${note}`);
  }
  const batches = session.read({
    follow: Boolean(options.follow),
    signal: context.signal,
    onEvent: (event) => {
      lag.onEvent(event);
      const warning = describeReaderWarning(event, context.debug);
      if (warning) onLine(`replay: ${warning}`);
      else if (event.type === 'backoff' && event.attempt === 1) onLine(`replay: ${terminalSafe(event.reason)}; retrying with backoff`);
      else if (event.type === 'recovered') onLine('replay: reading again');
    },
  });
  return {
    pages: replayPages(observed(batches, lag, counts), undecodable),
    lag,
    ...('scan' in session ? { scan: session.scan } : {}),
    ...(session.checkpoint ? { checkpoint: session.checkpoint } : {}),
    live: true,
    close: () => session.close(),
  };
}

const backfill$ = (): Promise<BackfillSessionModule> => import('../../session/backfill-session.js');
const groupBackfill$ = (): Promise<GroupBackfillModule> => import('../../session/group-backfill.js');

/** Pages as the engine takes them, counted and measured for lag on their way. */
async function* observed(batches: AsyncIterable<SelectedBatch>, lag: StreamLag, counts: RecordCounts): AsyncGenerator<SelectedBatch> {
  for await (const batch of batches) {
    lag.observe(batch.source);
    counts.add(batch.records);
    yield batch;
  }
}

/** While a backfill scans, the line says how far the scan got. */
function withScan(scan: ScanStats | undefined, line: string): string {
  return scan?.scanning ? line.replace(/^replay: /, `replay: ${scanStatusText(scan)} · `) : line;
}

const FLAG: Record<string, string> = {
  from: '--from', until: '--until', checkpoint: '--checkpoint', concurrency: '--concurrency',
  pollInterval: '--poll-interval', onTrimmed: '--on-trimmed', follow: '--follow', group: '--group',
  scan: '--scan', scanSegments: '--scan-segments', consistent: '--consistent',
};

function checkCombinations(stream: string | undefined, options: ReplayOptions, streamOnlyGiven: readonly string[]): void {
  if (stream && options.input) {
    throw new UsageError(`give a stream or --input, not both (got "${stream}" and --input ${options.input}).`);
  }
  if (!stream && !options.input) {
    throw new UsageError('name the stream to replay (a table name or stream ARN), or give --input FILE.');
  }
  if (options.input && streamOnlyGiven.length > 0) {
    throw new UsageError(`${FLAG[streamOnlyGiven[0]!] ?? streamOnlyGiven[0]} applies to a stream, not to --input.`);
  }
  if (options.input && options.printEsm !== undefined) {
    throw new UsageError('--print-esm describes a mapping of a stream, not of --input: name the stream instead.');
  }
  if (!options.handler && options.printEsm === undefined) {
    throw new UsageError('--handler is required: the handler module to replay into, e.g. --handler ./handler.mjs');
  }
}

/**
 * The record filter for `--input` records, or none when nothing filters. They are Lambda
 * records already: matched as they are, never turned into internal records and back.
 */
function inputFilter(reading: ReadingOptions): RecordFilter | undefined {
  const { filter } = reading;
  return filter.active ? filter.matchesLambda : undefined;
}

export async function runReplay(
  streamArgument: string | undefined,
  commandLine: ReplayOptions,
  context: CommandContext,
  given: readonly string[] = [],
): Promise<void> {
  const { stream, options } = await withEsmFile(streamArgument, commandLine, given);
  const settings = parseMappingSettings(options);
  checkCombinations(stream, options, given.filter((name) => STREAM_ONLY_OPTIONS.includes(name)));
  const reading = parseReadingOptions(options, new Date());
  const group = parseGroupOptions(options, reading.checkpoint);
  if (options.printEsm !== undefined) return printEsm(stream!, options, reading, settings, context);
  checkReplayable(settings);
  const cwd = process.cwd();
  const resolved = resolveHandlerSpec(options.handler!, options.handlerExport, cwd);
  // A function ARN (an --esm file's FunctionArn) names the function by its last part, locally.
  const functionName = options.functionName?.replace(/^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+).*$/, '$1');
  const spec = functionName ? { ...resolved, functionName } : resolved;
  if (options.onFailure) await checkFailureFile(options.onFailure);
  const inputRecords = options.input ? await readInputFile(options.input) : undefined;

  const status = new ProgressLine(context.stderr, Boolean(context.stderr.isTTY));
  for (const note of reading.filter.notes) status.line(`replay: note: ${note}`);
  const prefix = `[${spec.functionName}] `;
  // The handler loads before any AWS call: a handler that cannot run stops the replay first.
  const starting = startHandler(spec, {
    runnerPath: RUNNER_PATH,
    env: context.env,
    cwd,
    timeoutMs: settings.timeoutMs,
    memoryMb: settings.memoryMb,
    concurrency: Math.min(MAX_WORKERS, settings.parallelizationFactor * 4),
    onOutput: (line) => status.line(prefix + line),
  });
  // Loading the AWS SDK (a few hundred ms of CPU) overlaps the handler's process starting up;
  // loading makes no AWS call, so the handler still loads before the first one. The worker is
  // forked before the first macrotask, so the import cannot delay its start.
  const session$ = inputRecords ? undefined : new Promise<void>((resolve) => setImmediate(resolve))
    .then(() => import('../../session/reading-session.js'));
  // A handler that does not load throws below; the import must not then be an unhandled rejection.
  session$?.catch(() => {});
  const handler = await starting;

  const watcher = options.watch
    ? watchHandler(spec.file, async () => {
      try {
        await handler.reload();
        status.line(`replay: ${spec.display} changed: reloaded; the next batch runs the new code`);
      } catch (error) {
        status.line(`replay: ${spec.display} changed but ${(error as Error).message.replace(/^handler \S+ /, '')}; still running the previous version`);
      }
    })
    : undefined;
  const failureFile = options.onFailure ? new FailureFile(options.onFailure) : undefined;
  let source: ReplaySource | undefined;
  let ticker: NodeJS.Timeout | undefined;
  const started = Date.now();
  // Records whose values ddbstream does not know: the handler gets them as sent; counted for the end.
  const undecodable: UndecodableCount = { records: 0 };
  const counts = new RecordCounts();
  try {
    source = inputRecords
      ? { pages: inputPages(inputRecords), live: false, close: async () => {} }
      : await openStream(session$!, stream!, options, reading, context, (text) => status.line(text), undecodable, group, counts);
    // A stream's records come filtered (and cut at -n) by the reading session.
    const filter = inputRecords ? inputFilter(reading) : undefined;
    const engine = new ReplayEngine({
      ...settings,
      // A Pipe with a Lambda target always reads batchItemFailures from the response.
      reportBatchItemFailures: settings.reportBatchItemFailures || settings.eventShape === 'pipes',
      invoke: handler.pool.invoke,
      functionArn: (streamArn) => functionArnFor(spec.functionName, streamArn),
      ...(filter ? { filter } : {}),
      ...(inputRecords && reading.maxRecords !== undefined ? { maxRecords: reading.maxRecords } : {}),
      ...(failureFile ? { onFailure: failureFile.write } : {}),
      ...(source.checkpoint ? { checkpoint: source.checkpoint } : {}),
      onEvent: (event) => {
        const text = describeEvent(event, options.onFailure);
        if (text) status.line(text);
        if (context.debug && event.type === 'batch-failed' && event.error?.stack) {
          for (const line of event.error.stack.split('\n')) status.line(prefix + line);
        }
      },
      signal: context.signal,
    });
    const live = source.live;
    if (status.live) {
      // The ticker keeps the pace, so every tick draws.
      ticker = setInterval(() => status.update(() => withScan(source?.scan, progressLine(engine.stats, Date.now() - started, Date.now(), live, lagText(source?.lag?.behindMs()))), true), 200);
    }
    const stats = await engine.run(source.pages);
    clearInterval(ticker);
    // Stop the workers and drain their output first: the handler's last lines come before the summary.
    watcher?.close();
    await handler.close();
    status.line(summaryLine(stats, Date.now() - started, options.onFailure));
    if (options.stats) context.stderr.write(statsJson(counts, source.lag?.largestMs ?? 0) + '\n');
    const warning = undecodable.records > 0 ? describeUndecodable(undecodable.records, 'handler') : undefined;
    if (warning && (context.signal.aborted || stats.failedRecords > 0)) status.line(`replay: ${warning}`);
    if (context.signal.aborted) throw context.signal.reason;
    if (stats.failedRecords > 0) {
      const rerun = options.onFailure
        ? ` Fix the handler, then replay them: ${rerunCommand(options, spec.display, options.onFailure)}`
        : ' Add --on-failure FILE to keep them.';
      throw new RuntimeError(`${plural(stats.failedRecords, 'record')} failed.${rerun}`);
    }
    // Handled, but not as ddbstream could read them: exit 1, so a script notices.
    if (warning) throw new RuntimeError(warning);
  } finally {
    clearInterval(ticker);
    watcher?.close();
    status.clear();
    await handler.close();
    await failureFile?.close();
    await source?.close();
  }
}
