import { readFile, stat } from 'node:fs/promises';
import type { LambdaStreamRecord } from '../records/lambda-record.js';
import { isEventName } from '../records/record.js';
import { UsageError } from '../util/errors.js';
import type { ReplayPage } from './engine-types.js';

/** Records of an input file that carry no shard (plain `export --raw` lines) share this one. */
export const INPUT_SHARD = '(input)';
const PAGE_SIZE = 1000;

export interface InputRecords {
  shardId: string;
  record: LambdaStreamRecord;
}

/** Why a value is not a Lambda DynamoDB record, or undefined when it is one. */
function recordProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not an object';
  const record = value as Partial<LambdaStreamRecord>;
  if (!isEventName(record.eventName)) return 'eventName is not INSERT, MODIFY or REMOVE';
  if (typeof record.eventSourceARN !== 'string') return 'eventSourceARN is missing';
  const dynamodb = record.dynamodb;
  if (!dynamodb || typeof dynamodb !== 'object') return 'dynamodb is missing';
  if (typeof dynamodb.SequenceNumber !== 'string' || !/^\d+$/.test(dynamodb.SequenceNumber)) return 'dynamodb.SequenceNumber is not a string of digits';
  if (typeof dynamodb.ApproximateCreationDateTime !== 'number') return 'dynamodb.ApproximateCreationDateTime is not a number (epoch seconds)';
  if (!dynamodb.Keys || typeof dynamodb.Keys !== 'object') return 'dynamodb.Keys is missing';
  return undefined;
}

function shape(value: unknown): 'record' | 'failure' | 'event' | 'export' | 'unknown' {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'unknown';
  const object = value as Record<string, unknown>;
  if (Array.isArray(object.records)) return 'failure';
  if (Array.isArray(object.Records)) return 'event';
  if ('dynamodb' in object) return 'record';
  if ('sequenceNumber' in object && 'eventName' in object) return 'export';
  return 'unknown';
}

/** One parsed JSON value (a line, or the whole file) to records, or a problem to report. */
function recordsOf(value: unknown, where: string): InputRecords[] {
  const kind = shape(value);
  const checked = (list: unknown[], shardId: string, what: string): InputRecords[] =>
    list.map((item, index) => {
      const problem = recordProblem(item);
      if (problem) throw new UsageError(`${where}: ${what} ${index + 1} is not a Lambda DynamoDB record (${problem}).`);
      return { shardId, record: item as LambdaStreamRecord };
    });
  switch (kind) {
    case 'record':
      return checked([value], INPUT_SHARD, 'the record');
    case 'failure': {
      const line = value as { records: unknown[]; DDBStreamBatchInfo?: { shardId?: unknown } };
      const shardId = typeof line.DDBStreamBatchInfo?.shardId === 'string' && line.DDBStreamBatchInfo.shardId
        ? line.DDBStreamBatchInfo.shardId : INPUT_SHARD;
      return checked(line.records, shardId, 'record');
    }
    case 'event':
      return checked((value as { Records: unknown[] }).Records, INPUT_SHARD, 'record');
    case 'export':
      throw new UsageError(`${where} is an \`export\` line; replay needs the Lambda form: export with --raw.`);
    default:
      throw new UsageError(
        `${where} is not a record: expected an \`export --raw\` line (eventID, dynamodb, ...), a failure-file line (records), or a Lambda event (Records).`,
      );
  }
}

/**
 * Reads an `--input` file: NDJSON of `export --raw` records, of `--on-failure` lines (their
 * `records` replay in their shard), or of Lambda events; a single pretty-printed event (a sample
 * event file) works too. The whole file is checked before anything runs, so a broken line stops
 * the replay before the handler sees a record.
 */
export async function readInputFile(file: string): Promise<InputRecords[]> {
  let text: string;
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new UsageError(`--input ${file} is a directory; give an NDJSON file.`);
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`--input file ${file} not found.`);
    throw new UsageError(`--input file ${file} cannot be read: ${(error as Error).message}`);
  }
  const lines = text.split('\n');
  const out: InputRecords[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      if (out.length === 0) {
        const whole = wholeDocument(text);
        if (whole !== undefined) return recordsOf(whole, `--input ${file}`);
      }
      throw new UsageError(`--input ${file} line ${i + 1} is not valid JSON: ${(error as Error).message}`);
    }
    out.push(...recordsOf(value, `--input ${file} line ${i + 1}`));
  }
  return out;
}

function wholeDocument(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The records as pages per shard, in file order. */
export async function* inputPages(records: InputRecords[]): AsyncGenerator<ReplayPage> {
  let current: ReplayPage | undefined;
  for (const { shardId, record } of records) {
    if (!current || current.shardId !== shardId || current.records.length >= PAGE_SIZE) {
      if (current) yield current;
      current = { shardId, records: [], end: false };
    }
    current.records.push(record);
  }
  if (current) yield current;
}
