import { Option, type Command } from 'commander';
import { UsageError } from '../util/errors.js';
import { plural } from '../util/plural.js';
import type { StreamRecord } from '../records/record.js';
import { recordFilterFromOptions, type RecordFilter } from '../records/record-filter.js';
import { parseFrom, parseUntil } from './position-parse.js';
import {
  isEmptyWindow,
  pastUntil,
  readStart,
  describeFrom,
  describeUntil,
  type FromSpec,
  type ReadStart,
  type UntilSpec,
} from '../stream/position.js';

/** The reading options as commander hands them over (strings; repeatable ones as lists). */
export interface RawReadingOptions {
  from?: string;
  until?: string;
  maxRecords?: string;
  checkpoint?: string;
  event?: string[];
  key?: string[];
  filter?: string[];
  concurrency?: string;
  pollInterval?: string;
  onTrimmed?: string;
}

/** Validated reading options, ready for the reader and the record loop. */
export interface ReadingOptions {
  from: FromSpec;
  /** Iterator type for root shards, and the records to skip for an emulated time start. */
  start: ReadStart;
  until?: UntilSpec;
  /** True for a record after `--until`: that shard is done. Absent without `--until`. */
  pastUntil?: (record: StreamRecord) => boolean;
  maxRecords?: number;
  checkpoint?: string;
  filter: RecordFilter;
  concurrency: number;
  pollIntervalMs: number;
  onTrimmed: 'fail' | 'skip';
  /** One line for status displays, e.g. `from 2024-05-01T10:00:00.000Z (skipping older records) until ...`. */
  description: string;
}

export const READING_DEFAULTS = {
  // The last levels of a wide lineage have 16–32 shards to read at once; the per-shard limits
  // of GetRecords do not depend on how many shards are read together.
  concurrency: 16,
  pollIntervalMs: 250,
  onTrimmed: 'fail',
} as const;

const LIMITS = {
  concurrency: { min: 1, max: 256 },
  pollIntervalMs: { min: 50, max: 60_000 },
};

export interface ReadingOptionDefaults {
  /** `export` and `replay` start at trim-horizon, `tail` at latest. */
  from?: 'trim-horizon' | 'latest';
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** Declares the reading options shared by tail, export and replay. */
export function addReadingOptions(command: Command, defaults: ReadingOptionDefaults = {}): Command {
  const from = defaults.from ?? 'trim-horizon';
  // Option#default(value, description) shows the default without JSON quotes in --help.
  return command
    .addOption(
      new Option(
        '--from <position>',
        'where to start: trim-horizon, latest, a sequence number, an ISO 8601 time (2024-05-01T10:00:00Z; UTC without an offset) ' +
          'or a duration back from now (90s, 15m, 2h, 1d, 1h30m). DynamoDB Streams cannot start at a time: a time or duration ' +
          'start is emulated by reading from TRIM_HORIZON and skipping older records',
      ).default(from, from),
    )
    .option('--until <point>', 'stop after this point: an ISO 8601 time, a duration back from now, or a sequence number')
    .option('-n, --max-records <n>', 'stop after N records (counted after filters)')
    .option('--checkpoint <file>', 'resume after the positions saved in FILE and keep it updated (created if missing)')
    .option('--event <names>', 'only these events: INSERT, MODIFY, REMOVE (comma-separated, any case; repeatable)', collect)
    .option('--key <attr=value>', 'only records whose key attribute has this value (repeatable, ANDed; a number matches numerically)', collect)
    .option(
      '--filter <pattern>',
      'Lambda event filtering pattern (FilterCriteria JSON), matched as Lambda would, e.g. ' +
        `'{"dynamodb":{"NewImage":{"status":{"S":["active"]}}}}' (repeatable up to 5, ORed)`,
      collect,
    )
    .addOption(
      new Option('--concurrency <n>', 'shards read at the same time')
        .default(String(READING_DEFAULTS.concurrency), String(READING_DEFAULTS.concurrency)),
    )
    .addOption(
      new Option('--poll-interval <ms>', 'pause between reads of a caught-up open shard, in milliseconds')
        .default(String(READING_DEFAULTS.pollIntervalMs), String(READING_DEFAULTS.pollIntervalMs)),
    )
    .addOption(
      new Option(
        '--on-trimmed <action>',
        'when a checkpoint or --from position is older than the stream keeps (24 h): fail, or skip to TRIM_HORIZON with a warning',
      ).default(READING_DEFAULTS.onTrimmed, READING_DEFAULTS.onTrimmed),
    );
}

/** Validates and types what `addReadingOptions` declared. Durations count back from `now`. */
export function parseReadingOptions(raw: RawReadingOptions, now: Date): ReadingOptions {
  const from = parseFrom(raw.from ?? 'trim-horizon', now);
  const until = raw.until !== undefined ? parseUntil(raw.until, now) : undefined;
  if (isEmptyWindow(from, until)) {
    throw new UsageError(
      `--until ${until ? describeUntil(until) : ''} is before --from ${describeFrom(from)}: no record can be in between`,
    );
  }
  const maxRecords = raw.maxRecords !== undefined ? positiveInteger('-n/--max-records', raw.maxRecords) : undefined;
  const checkpoint = raw.checkpoint?.trim();
  if (raw.checkpoint !== undefined && !checkpoint) throw new UsageError('--checkpoint needs a file name');
  const concurrency = raw.concurrency !== undefined
    ? boundedInteger('--concurrency', raw.concurrency, LIMITS.concurrency.min, LIMITS.concurrency.max, 'shards')
    : READING_DEFAULTS.concurrency;
  const pollIntervalMs = raw.pollInterval !== undefined
    ? boundedInteger('--poll-interval', raw.pollInterval, LIMITS.pollIntervalMs.min, LIMITS.pollIntervalMs.max, 'milliseconds')
    : READING_DEFAULTS.pollIntervalMs;
  const onTrimmed = parseOnTrimmed(raw.onTrimmed);
  const filter = recordFilterFromOptions({ event: raw.event, key: raw.key, filter: raw.filter });

  const description = [
    `from ${describeFrom(from)}`,
    ...(until ? [`until ${describeUntil(until)}`] : []),
    ...(maxRecords !== undefined ? [`at most ${plural(maxRecords, 'record')}`] : []),
  ].join(', ');

  return {
    from,
    start: readStart(from),
    ...(until ? { until, pastUntil: pastUntil(until) } : {}),
    ...(maxRecords !== undefined ? { maxRecords } : {}),
    ...(checkpoint ? { checkpoint } : {}),
    filter,
    concurrency,
    pollIntervalMs,
    onTrimmed,
    description,
  };
}

function positiveInteger(option: string, text: string): number {
  const value = text.trim();
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`${option} "${text}" is not a positive whole number (e.g. ${option.startsWith('-n') ? '-n 100' : `${option} 100`})`);
  }
  return Number(value);
}

function boundedInteger(option: string, text: string, min: number, max: number, unit: string): number {
  const value = text.trim();
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= min && number <= max)) {
    throw new UsageError(`${option} "${text}" must be a whole number of ${unit} from ${min} to ${max}`);
  }
  return number;
}

function parseOnTrimmed(text: string | undefined): 'fail' | 'skip' {
  if (text === undefined) return READING_DEFAULTS.onTrimmed;
  const value = text.trim().toLowerCase();
  if (value === 'fail' || value === 'skip') return value;
  throw new UsageError(`--on-trimmed "${text}" is not an action: use fail (stop with an error) or skip (warn and continue at TRIM_HORIZON)`);
}
