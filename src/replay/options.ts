import { UsageError } from '../util/errors.js';

/** The event source mapping settings a replay runs with, validated and in engine units. */
export interface MappingSettings {
  batchSize: number;
  batchWindowMs: number;
  /** -1 retries forever. */
  maxRetries: number;
  bisectOnError: boolean;
  /** -1 never expires a record. */
  maxRecordAgeMs: number;
  reportBatchItemFailures: boolean;
  parallelizationFactor: number;
  timeoutMs: number;
  /** TumblingWindowInSeconds: 0 is no window (Lambda's default). */
  tumblingWindowSeconds: number;
  /** What the handler is given: Lambda's `{Records: [...]}`, or an EventBridge Pipe's bare array. */
  eventShape: EventShape;
  /** The function's memory: the handler process's V8 heap limit, and `context.memoryLimitInMB`. */
  memoryMb: number;
}

export type EventShape = 'lambda' | 'pipes';
export const EVENT_SHAPES: readonly EventShape[] = ['lambda', 'pipes'];

/** The options as commander hands them over: numbers still strings. */
export interface RawMappingOptions {
  batchSize?: string;
  batchWindow?: string;
  maxRetries?: string;
  bisectOnError?: boolean;
  maxRecordAge?: string;
  reportBatchItemFailures?: boolean;
  parallelizationFactor?: string;
  timeout?: string;
  tumblingWindow?: string;
  eventShape?: string;
  memory?: string;
}

export const MAPPING_DEFAULTS = {
  batchSize: 100,
  batchWindow: 0,
  maxRetries: 3,
  maxRecordAge: -1,
  parallelizationFactor: 1,
  timeout: 60,
  memory: 1024,
} as const;

/**
 * The ranges Lambda's API accepts (CreateEventSourceMapping; the function's MemorySize), shared by
 * the command-line options and by `--esm` files. The replay's own ranges are narrower in two
 * places: a record age of 0–59 (Lambda rejects it too) and a tumbling window of 0 (no window:
 * leave the option out).
 */
export const MAPPING_RANGES = {
  batchSize: { min: 1, max: 10000 },
  batchWindow: { min: 0, max: 300 },
  maxRetries: { min: -1, max: 10000 },
  maxRecordAge: { min: 60, max: 604800 },
  parallelizationFactor: { min: 1, max: 10 },
  tumblingWindow: { min: 1, max: 900 },
  memory: { min: 128, max: 10240 },
} as const;

function integer(flag: string, raw: string | undefined, fallback: number, ok: (n: number) => boolean, range: string): number {
  if (raw === undefined) return fallback;
  const text = raw.trim();
  const value = /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || !ok(value)) {
    throw new UsageError(`${flag} must be ${range} (got "${raw}").`);
  }
  return value;
}

export function parseMappingSettings(options: RawMappingOptions): MappingSettings {
  const batchSize = integer('--batch-size', options.batchSize, MAPPING_DEFAULTS.batchSize,
    (n) => n >= 1 && n <= 10000, 'an integer from 1 to 10000');
  const batchWindow = integer('--batch-window', options.batchWindow, MAPPING_DEFAULTS.batchWindow,
    (n) => n >= 0 && n <= 300, 'a whole number of seconds from 0 to 300');
  const maxRetries = integer('--max-retries', options.maxRetries, MAPPING_DEFAULTS.maxRetries,
    (n) => n >= -1 && n <= 10000, 'an integer from -1 (retry forever) to 10000');
  const maxRecordAge = integer('--max-record-age', options.maxRecordAge, MAPPING_DEFAULTS.maxRecordAge,
    (n) => n === -1 || (n >= 60 && n <= 604800), '-1 (no limit) or a whole number of seconds from 60 to 604800');
  const parallelizationFactor = integer('--parallelization-factor', options.parallelizationFactor,
    MAPPING_DEFAULTS.parallelizationFactor, (n) => n >= 1 && n <= 10, 'an integer from 1 to 10');
  const timeout = integer('--timeout', options.timeout, MAPPING_DEFAULTS.timeout,
    (n) => n >= 1 && n <= 900, 'a whole number of seconds from 1 to 900');
  const tumblingWindow = integer('--tumbling-window', options.tumblingWindow, 0,
    (n) => n >= MAPPING_RANGES.tumblingWindow.min && n <= MAPPING_RANGES.tumblingWindow.max, 'a whole number of seconds from 1 to 900');
  const memory = integer('--memory', options.memory, MAPPING_DEFAULTS.memory,
    (n) => n >= MAPPING_RANGES.memory.min && n <= MAPPING_RANGES.memory.max, 'a whole number of MB from 128 to 10240');
  const eventShape = parseEventShape(options.eventShape);
  if (tumblingWindow > 0 && eventShape === 'pipes') {
    throw new UsageError('--tumbling-window is a setting of an event source mapping; an EventBridge Pipe (--event-shape pipes) has no windows.');
  }
  return {
    batchSize,
    batchWindowMs: batchWindow * 1000,
    maxRetries,
    bisectOnError: Boolean(options.bisectOnError),
    maxRecordAgeMs: maxRecordAge === -1 ? -1 : maxRecordAge * 1000,
    reportBatchItemFailures: Boolean(options.reportBatchItemFailures),
    parallelizationFactor,
    timeoutMs: timeout * 1000,
    tumblingWindowSeconds: tumblingWindow,
    eventShape,
    memoryMb: memory,
  };
}

function parseEventShape(raw: string | undefined): EventShape {
  if (raw === undefined) return 'lambda';
  const value = raw.trim().toLowerCase();
  if ((EVENT_SHAPES as readonly string[]).includes(value)) return value as EventShape;
  throw new UsageError(`--event-shape must be lambda ({"Records": [...]}, an event source mapping) or pipes (a JSON array, an EventBridge Pipe) (got "${raw}").`);
}

/**
 * What a local replay cannot run although a mapping may say it: windows keep one state per shard,
 * so their batches go one at a time.
 */
export function checkReplayable(settings: MappingSettings): void {
  if (settings.tumblingWindowSeconds > 0 && settings.parallelizationFactor > 1) {
    throw new UsageError('--tumbling-window carries one state per shard from batch to batch: use it with --parallelization-factor 1.');
  }
}
