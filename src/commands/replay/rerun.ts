import { MAPPING_DEFAULTS } from '../../replay/options.js';
import { shellCommand } from '../../util/shell-quote.js';
import type { ReplayOptions } from './options.js';

/** Settings whose value decides whether a record fails: carried into the suggested rerun when not the default. */
const DECIDING_VALUES = [
  ['--batch-size', 'batchSize', MAPPING_DEFAULTS.batchSize],
  ['--max-retries', 'maxRetries', MAPPING_DEFAULTS.maxRetries],
  ['--max-record-age', 'maxRecordAge', MAPPING_DEFAULTS.maxRecordAge],
  ['--timeout', 'timeout', MAPPING_DEFAULTS.timeout],
  // A smaller heap fails a batch that a larger one runs; a window's final invocation can fail.
  ['--memory', 'memory', MAPPING_DEFAULTS.memory],
  ['--tumbling-window', 'tumblingWindow', 0],
] as const;

/** Switches that decide it: without --report-batch-item-failures a handler's batchItemFailures are ignored. */
const DECIDING_SWITCHES = [
  ['--bisect-on-error', 'bisectOnError'],
  ['--report-batch-item-failures', 'reportBatchItemFailures'],
] as const;

/** Filters: a record they leave out is skipped, not failed. Repeatable, so each value is given again. */
const FILTERS = [
  ['--event', 'event'],
  ['--key', 'key'],
  ['--filter', 'filter'],
] as const;

/**
 * The command that replays a failure file into the fixed handler under the same rules as the run
 * that wrote it: the same function, and every option that changes what counts as a failure.
 * Options about where records come from (a stream, positions, a checkpoint) do not apply to a
 * file, and the failure file is not named again as the destination of the file it is reading.
 */
export function rerunCommand(options: ReplayOptions, handler: string, failureFile: string): string {
  const argv = ['ddbstream', 'replay', '--input', failureFile, '--handler', handler];
  if (options.handlerExport !== undefined) argv.push('--handler-export', options.handlerExport);
  for (const [flag, name] of DECIDING_SWITCHES) if (options[name]) argv.push(flag);
  for (const [flag, name, fallback] of DECIDING_VALUES) {
    const value = options[name]?.trim();
    if (value !== undefined && Number(value) !== fallback) argv.push(flag, value);
  }
  // A Pipe always reads batchItemFailures: the same handler answer fails different records.
  if (options.eventShape !== undefined && options.eventShape.trim().toLowerCase() !== 'lambda') argv.push('--event-shape', options.eventShape);
  for (const [flag, name] of FILTERS) for (const value of options[name] ?? []) argv.push(flag, value);
  return shellCommand(argv);
}
