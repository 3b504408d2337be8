import type { ReplayOptions } from '../cli/replay-command.js';
import type { CommandContext } from '../context.js';
import { RuntimeError, UsageError } from '../errors.js';
import { describeEvent, progressLine, summaryLine } from '../render/replay.js';
import { ReplayEngine } from '../replay/engine.js';
import type { CheckpointSink, RecordFilter, ReplayPage } from '../replay/engine-types.js';
import { checkFailureFile, FailureFile } from '../replay/failure-file.js';
import { functionArnFor } from '../replay/failure-record.js';
import { resolveHandlerSpec } from '../replay/handler-spec.js';
import { inputPages, readInputFile } from '../replay/input-file.js';
import { parseMappingSettings } from '../replay/options.js';
import { RUNNER_PATH } from '../replay/runner-path.js';
import { startHandler } from '../replay/start-handler.js';
import { StatusLine } from '../replay/status-line.js';

/** Where the records come from, and what to do when the run is over. */
export interface ReplaySource {
  pages: AsyncIterable<ReplayPage>;
  checkpoint?: CheckpointSink;
  /** Reading a live stream: lag is worth showing. */
  live: boolean;
  close(): Promise<void>;
}

const MAX_WORKERS = 16;

function checkCombinations(stream: string | undefined, options: ReplayOptions): void {
  if (stream && options.input) {
    throw new UsageError(`give a stream or --input, not both (got "${stream}" and --input ${options.input}).`);
  }
  if (!stream && !options.input) {
    throw new UsageError('name the stream to replay (a table name or stream ARN), or give --input FILE.');
  }
  if (options.input) {
    for (const [flag, set] of [['--from', options.from], ['--follow', options.follow], ['--checkpoint', options.checkpoint]] as const) {
      if (set !== undefined && set !== false) throw new UsageError(`${flag} applies to a stream, not to --input.`);
    }
  }
  if ((options.filter?.length ?? 0) > 5) {
    throw new UsageError(`--filter was given ${options.filter!.length} times; Lambda accepts at most 5 patterns.`);
  }
}

export async function runReplay(stream: string | undefined, options: ReplayOptions, context: CommandContext): Promise<void> {
  const settings = parseMappingSettings(options);
  checkCombinations(stream, options);
  const filter: RecordFilter | undefined = undefined;
  const cwd = process.cwd();
  const spec = resolveHandlerSpec(options.handler, options.handlerExport, cwd);
  if (options.onFailure) await checkFailureFile(options.onFailure);
  const inputRecords = options.input ? await readInputFile(options.input) : undefined;

  const status = new StatusLine(context.stderr, Boolean(context.stderr.isTTY));
  const prefix = `[${spec.functionName}] `;
  const handler = await startHandler(spec, {
    runnerPath: RUNNER_PATH,
    env: context.env,
    cwd,
    timeoutMs: settings.timeoutMs,
    concurrency: Math.min(MAX_WORKERS, settings.parallelizationFactor * 4),
    onOutput: (line) => status.line(prefix + line),
  });

  const failureFile = options.onFailure ? new FailureFile(options.onFailure) : undefined;
  let source: ReplaySource | undefined;
  let ticker: NodeJS.Timeout | undefined;
  const started = Date.now();
  try {
    if (inputRecords) {
      source = { pages: inputPages(inputRecords), live: false, close: async () => {} };
    } else {
      throw new UsageError(`replaying a stream (${stream}) is not available yet in this build; use --input.`);
    }
    const engine = new ReplayEngine({
      ...settings,
      invoke: handler.pool.invoke,
      functionArn: (streamArn) => functionArnFor(spec.functionName, streamArn),
      ...(filter ? { filter } : {}),
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
      ticker = setInterval(() => status.progress(progressLine(engine.stats, Date.now() - started, Date.now(), live)), 200);
    }
    const stats = await engine.run(source.pages);
    clearInterval(ticker);
    status.line(summaryLine(stats, Date.now() - started, options.onFailure));
    if (context.signal.aborted) throw context.signal.reason;
    if (stats.failedRecords > 0) {
      const rerun = options.onFailure
        ? ` Fix the handler, then replay them: ddbstream replay --input ${options.onFailure} --handler ${options.handler}`
        : ' Add --on-failure FILE to keep them.';
      throw new RuntimeError(`${stats.failedRecords} record${stats.failedRecords === 1 ? '' : 's'} failed.${rerun}`);
    }
  } finally {
    clearInterval(ticker);
    status.erase();
    await handler.close();
    await failureFile?.close();
    await source?.close();
  }
}
