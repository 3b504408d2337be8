import { STREAM_ONLY_OPTIONS, type ReplayOptions } from './options.js';
import { withEsmFile } from './esm-options.js';
import { printEsm } from './print-esm.js';
import type { NamedSource, ReplaySources } from './replay-sources.js';
import { parseReadingOptions, type ReadingOptions } from '../../options/reading-options.js';
import type { CommandContext } from '../../io/command-context.js';
import { ProgressLine } from '../../io/progress-line.js';
import { RuntimeError, UsageError } from '../../util/errors.js';
import { describeEvent, progressLine, streamSummaryLine, summaryLine } from '../../replay/event-text.js';
import type { EngineStats, RecordFilter } from '../../replay/engine-types.js';
import { checkFailureFile, FailureFile } from '../../replay/failure-file.js';
import { functionArnFor } from '../../replay/failure-record.js';
import { resolveHandlerSpec } from '../../replay/handler-spec.js';
import { inputPages, readInputFile } from '../../replay/input-file.js';
import { ReplayMappings, sumStats } from '../../replay/mappings.js';
import { checkReplayable, parseMappingSettings } from '../../replay/options.js';
import { RUNNER_PATH } from '../../replay/runner-path.js';
import { startHandler } from '../../replay/start-handler.js';
import { watchHandler } from '../../replay/watch-handler.js';
import { describeUndecodable } from '../../messages/undecodable.js';
import type { UndecodableCount } from '../../records/attribute-kind.js';
import { plural } from '../../util/plural.js';
import { rerunCommand } from './rerun.js';
import { parseGroupOptions } from '../../options/group-options.js';
import { lagText } from '../../render/lag-text.js';
import { RecordCounts, type CountedRecord } from '../../records/record-counts.js';
import type { LambdaStreamRecord } from '../../records/lambda-record.js';
import { statsJson } from '../../render/stats-json.js';
import { scanStatusText, type ScanStatus } from '../../scan/scan-stats.js';

const MAX_WORKERS = 16;

/** While a backfill scans, the line says how far the scan got. */
function withScan(scan: ScanStatus | undefined, line: string): string {
  return scan?.scanning ? line.replace(/^replay: /, `replay: ${scanStatusText(scan)} · `) : line;
}

const FLAG: Record<string, string> = {
  from: '--from', until: '--until', checkpoint: '--checkpoint', concurrency: '--concurrency',
  pollInterval: '--poll-interval', onTrimmed: '--on-trimmed', follow: '--follow', group: '--group',
  scan: '--scan', scanSegments: '--scan-segments', consistent: '--consistent',
};

function checkCombinations(streams: readonly string[], options: ReplayOptions, streamOnlyGiven: readonly string[]): void {
  if (streams.length && options.input) {
    throw new UsageError(`give a stream or --input, not both (got "${streams.join(' ')}" and --input ${options.input}).`);
  }
  if (!streams.length && !options.input) {
    throw new UsageError('name the stream to replay (a table name or stream ARN), or give --input FILE.');
  }
  if (options.input && streamOnlyGiven.length > 0) {
    throw new UsageError(`${FLAG[streamOnlyGiven[0]!] ?? streamOnlyGiven[0]} applies to a stream, not to --input.`);
  }
  if (options.input && options.printEsm !== undefined) {
    throw new UsageError('--print-esm describes a mapping of a stream, not of --input: name the stream instead.');
  }
  if (streams.length > 1) checkSeveralStreams(streams, options);
  if (!options.handler && options.printEsm === undefined) {
    throw new UsageError('--handler is required: the handler module to replay into, e.g. --handler ./handler.mjs');
  }
}

/** Several streams, one mapping each: what only goes with one. */
function checkSeveralStreams(streams: readonly string[], options: ReplayOptions): void {
  if (options.printEsm !== undefined) {
    // One mapping per stream, and each format takes one: print them one at a time.
    throw new UsageError(`--print-esm prints one event source mapping: run it once per stream (ddbstream replay ${streams[0]} --print-esm …).`);
  }
  if (options.group !== undefined) throw new UsageError('--group shares one stream: start one group per stream.');
}

/** What `--stats` counts of an `--input` record: its shard in the file, its event; a scanned item (`scan-` id) under "scan". */
function inputCounted(shardId: string, record: LambdaStreamRecord): CountedRecord {
  const scanned = typeof record.eventID === 'string' && record.eventID.startsWith('scan-');
  return { shardId, eventName: record.eventName, ...(scanned ? { scan: true as const } : {}) };
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
  streamArgument: string | readonly string[] | undefined,
  commandLine: ReplayOptions,
  context: CommandContext,
  given: readonly string[] = [],
): Promise<void> {
  const named = streamArgument === undefined ? [] : typeof streamArgument === 'string' ? [streamArgument] : [...streamArgument];
  const { streams, options } = await withEsmFile(named, commandLine, given);
  const settings = parseMappingSettings(options);
  checkCombinations(streams, options, given.filter((name) => STREAM_ONLY_OPTIONS.includes(name)));
  const reading = parseReadingOptions(options, new Date());
  const group = parseGroupOptions(options, reading.checkpoint);
  if (options.printEsm !== undefined) return printEsm(streams[0]!, options, reading, settings, context);
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
    // One function for every stream's mapping: room for each stream's batches, within bounds.
    concurrency: Math.min(MAX_WORKERS, settings.parallelizationFactor * 4 * Math.max(1, streams.length)),
    onOutput: (line) => status.line(prefix + line),
  });
  // Loading the AWS SDK (a few hundred ms of CPU) overlaps the handler's process starting up;
  // loading makes no AWS call, so the handler still loads before the first one. The worker is
  // forked before the first macrotask, so the import cannot delay its start.
  const sources$ = inputRecords ? undefined : new Promise<void>((resolve) => setImmediate(resolve))
    .then(() => import('./replay-sources.js'));
  // A handler that does not load throws below; the import must not then be an unhandled rejection.
  sources$?.catch(() => {});
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
  let sources: ReplaySources | undefined;
  let ticker: NodeJS.Timeout | undefined;
  const started = Date.now();
  // Records whose values ddbstream does not know: the handler gets them as sent; counted for the end.
  const undecodable: UndecodableCount = { records: 0 };
  // A stream's records come filtered (and cut at -n) by the reading session.
  const filter = inputRecords ? inputFilter(reading) : undefined;
  // A stream's records are counted as its session delivers them; --input's as the engine takes them.
  const inputCounts = inputRecords ? new RecordCounts() : undefined;
  // One event source mapping per stream (one for --input), all with these settings and this handler.
  const mappings = new ReplayMappings({
    ...settings,
    // A Pipe with a Lambda target always reads batchItemFailures from the response.
    reportBatchItemFailures: settings.reportBatchItemFailures || settings.eventShape === 'pipes',
    invoke: handler.pool.invoke,
    functionArn: (streamArn) => functionArnFor(spec.functionName, streamArn),
    ...(filter ? { filter } : {}),
    ...(inputRecords && reading.maxRecords !== undefined ? { maxRecords: reading.maxRecords } : {}),
    ...(inputCounts ? { onRecord: (shardId: string, record: LambdaStreamRecord) => inputCounts.add([inputCounted(shardId, record)]) } : {}),
    ...(failureFile ? { onFailure: failureFile.write } : {}),
    onEvent: (event, stream) => {
      const text = describeEvent(event, options.onFailure);
      // Several streams: the line names the stream its shard belongs to.
      if (text) status.line(stream ? text.replace(/^replay: /, `replay: ${stream}: `) : text);
      if (context.debug && event.type === 'batch-failed' && event.error?.stack) {
        for (const line of event.error.stack.split('\n')) status.line(prefix + line);
      }
    },
    signal: context.signal,
  });
  try {
    sources = inputRecords
      ? { mappings: [{ name: options.input!, source: { pages: inputPages(inputRecords) } }], counts: inputCounts ?? new RecordCounts(), close: async () => {} }
      : await (await sources$!).openReplaySources(streams, options, reading, context, {
        onLine: (text) => status.line(text),
        undecodable,
        group,
        signal: mappings.signal,
      });
    const live = !inputRecords;
    const { lag, scan, leasesHeld } = sources;
    // In a group, the line also says how many leases this worker holds.
    const leases = (): string => (leasesHeld ? ` · ${plural(leasesHeld(), 'lease')} held` : '');
    if (status.live) {
      // The ticker keeps the pace, so every tick draws.
      ticker = setInterval(() => status.update(() => withScan(scan, progressLine(mappings.stats, Date.now() - started, Date.now(), live, lagText(lag?.behindMs()))) + leases(), true), 200);
    }
    const several = sources.mappings.length > 1;
    const each = await mappings.run(sources.mappings.map((mapping) => (several ? { ...mapping.source, name: mapping.name } : mapping.source)));
    const stats = sumStats(each);
    clearInterval(ticker);
    // Stop the workers and drain their output first: the handler's last lines come before the summary.
    watcher?.close();
    await handler.close();
    for (const line of perStreamLines(sources.mappings, each, options.onFailure)) status.line(line);
    status.line(summaryLine(stats, Date.now() - started, options.onFailure));
    if (options.stats) context.stderr.write(statsJson(sources.counts, lag?.largestMs ?? 0) + '\n');
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
    await sources?.close();
  }
}

/** Several streams: a summary line for each stream's mapping before the one for all. */
function perStreamLines(mappings: readonly NamedSource[], each: readonly EngineStats[], failureFile: string | undefined): string[] {
  return mappings.length > 1 ? mappings.map((mapping, i) => streamSummaryLine(mapping.name, each[i]!, failureFile)) : [];
}
