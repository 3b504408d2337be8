import { bytesToBase64 } from '../util/base64.js';
import { UsageError } from '../util/errors.js';
import { compileFilterPatterns, type FilterPatterns } from './filter-pattern.js';
import { toLambdaRecord, type JsonAttributeValue, type LambdaStreamRecord } from './lambda-record.js';
import { ownAttribute } from './attribute-kind.js';
import { EVENT_NAMES, isEventName, type EventName, type StreamRecord } from './record.js';

/** `--key attr=value`: compared with the record's Keys. */
export interface KeyCondition {
  attribute: string;
  value: string;
  /** The value as a canonical decimal when it reads as a number: it then matches N keys numerically. */
  number?: string;
}

/** Everything a command passes in; each part is optional. */
export interface RecordFilterSpec {
  events?: readonly EventName[];
  keys?: readonly KeyCondition[];
  patterns?: FilterPatterns;
}

export interface RecordFilter {
  matches: (record: StreamRecord) => boolean;
  /** The same test on a record already in the Lambda shape (a `--raw` line): nothing is converted. */
  matchesLambda: (record: LambdaStreamRecord) => boolean;
  /** False when nothing is filtered: callers may skip calling `matches`. */
  active: boolean;
  /** Short text for a status bar, e.g. `event=INSERT,MODIFY · id=42 · 1 filter pattern`; empty when inactive. */
  description: string;
  /** Advice about --filter patterns that are valid but cannot match as written. */
  notes: string[];
}

const EVENT_SYNONYMS: Record<string, EventName> = {
  PUT: 'INSERT', CREATE: 'INSERT', ADD: 'INSERT', UPDATE: 'MODIFY', CHANGE: 'MODIFY', DELETE: 'REMOVE',
};

/** `--event` values (repeatable, each comma-separated, any case) as event names, without repeats. */
export function parseEventNames(values: readonly string[]): EventName[] {
  const names = new Set<EventName>();
  for (const value of values) {
    for (const part of value.split(',')) {
      const word = part.trim().toUpperCase();
      if (word === '') continue;
      if (isEventName(word)) {
        names.add(word);
        continue;
      }
      const synonym = EVENT_SYNONYMS[word];
      throw new UsageError(
        `--event "${part.trim()}" is not a stream event: use INSERT, MODIFY or REMOVE (comma-separated, any case)` +
          (synonym ? `; DynamoDB Streams calls it ${synonym}` : ''),
      );
    }
  }
  if (values.length > 0 && names.size === 0) {
    throw new UsageError('--event needs at least one of INSERT, MODIFY, REMOVE');
  }
  return [...names];
}

/** `attr=value`, split at the first `=` (attribute names may not contain one; values may). */
export function parseKeyCondition(text: string): KeyCondition {
  const at = text.indexOf('=');
  if (at < 0) throw new UsageError(`--key "${text}" needs the form attribute=value, e.g. --key id=42`);
  const attribute = text.slice(0, at).trim();
  const value = text.slice(at + 1);
  if (attribute === '') throw new UsageError(`--key "${text}" has no attribute name before "="`);
  if (value === '') throw new UsageError(`--key "${text}" has no value after "=" (key values are never empty)`);
  const number = canonicalDecimal(value);
  return number === undefined ? { attribute, value } : { attribute, value, number };
}

/** Builds the filter from raw option values: `--event`, `--key`, `--filter` (all repeatable). */
export function recordFilterFromOptions(raw: { event?: readonly string[]; key?: readonly string[]; filter?: readonly string[] }): RecordFilter {
  const events = raw.event && raw.event.length > 0 ? parseEventNames(raw.event) : undefined;
  const keys = raw.key?.map(parseKeyCondition);
  const patterns = raw.filter && raw.filter.length > 0 ? compileFilterPatterns(raw.filter) : undefined;
  return buildRecordFilter({ events, keys, patterns });
}

export function buildRecordFilter(spec: RecordFilterSpec): RecordFilter {
  const events = spec.events && spec.events.length > 0 && spec.events.length < EVENT_NAMES.length
    ? new Set(spec.events)
    : undefined;
  const keys = spec.keys ?? [];
  checkKeysCanHold(keys);
  const patterns = spec.patterns && spec.patterns.patterns.length > 0 ? spec.patterns : undefined;

  const parts: string[] = [];
  if (events) parts.push(`event=${[...events].join(',')}`);
  for (const key of keys) parts.push(`${key.attribute}=${key.value}`);
  if (patterns) parts.push(`${patterns.patterns.length} filter pattern${patterns.patterns.length === 1 ? '' : 's'}`);

  const matches = (record: StreamRecord): boolean => {
    if (events && !events.has(record.eventName)) return false;
    for (const key of keys) if (!keyMatches(record, key)) return false;
    // Only patterns need the Lambda shape; build it last, for records that passed the rest.
    return patterns ? patterns.matches(toLambdaRecord(record)) : true;
  };
  const matchesLambda = (record: LambdaStreamRecord): boolean => {
    if (events && !events.has(record.eventName)) return false;
    for (const key of keys) if (!jsonKeyMatches(ownAttribute(record.dynamodb.Keys, key.attribute), key)) return false;
    return patterns ? patterns.matches(record) : true;
  };
  return {
    matches,
    matchesLambda,
    active: parts.length > 0,
    description: parts.join(' · '),
    notes: patterns?.notes ?? [],
  };
}

function keyMatches(record: StreamRecord, key: KeyCondition): boolean {
  // An own attribute only: `--key constructor=x` asks about an attribute, not Object.prototype.
  const value = ownAttribute(record.keys, key.attribute);
  if (value === undefined) return false;
  if (typeof value.S === 'string') return value.S === key.value;
  if (typeof value.N === 'string') {
    if (key.number === undefined) return false;
    return value.N === key.value || canonicalDecimal(value.N) === key.number;
  }
  if (value.B instanceof Uint8Array) return bytesToBase64(value.B) === key.value;
  return false;
}

/** `keyMatches` for a key value as JSON carries it: binary is already base64 text. */
function jsonKeyMatches(value: JsonAttributeValue | undefined, key: KeyCondition): boolean {
  if (value === undefined) return false;
  const json = value as Partial<Record<'S' | 'N' | 'B', unknown>>;
  if (typeof json.S === 'string') return json.S === key.value;
  if (typeof json.N === 'string') return key.number !== undefined && (json.N === key.value || canonicalDecimal(json.N) === key.number);
  if (typeof json.B === 'string') return json.B === key.value;
  return false;
}

// Keys are ANDed, so two different values for one attribute can never both hold: that is
// almost certainly a wish for "either", which --filter can say.
function checkKeysCanHold(keys: readonly KeyCondition[]): void {
  const seen = new Map<string, KeyCondition>();
  for (const key of keys) {
    const earlier = seen.get(key.attribute);
    if (earlier && earlier.value !== key.value && (earlier.number === undefined || earlier.number !== key.number)) {
      throw new UsageError(
        `--key ${earlier.attribute}=${earlier.value} and --key ${key.attribute}=${key.value} cannot both hold (--key conditions are ANDed); ` +
          `for either, use --filter '{"dynamodb": {"Keys": {"${key.attribute}": {"S": ["${earlier.value}", "${key.value}"]}}}}' ` +
          '(N instead of S for a number key)',
      );
    }
    seen.set(key.attribute, key);
  }
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * A decimal number as `[-]digits e exponent` with no leading or trailing zeros, so that numbers
 * equal in value have equal text (`1.50`, `15e-1` and `+1.5` all give `15e-1`), computed without
 * a double so 38-digit DynamoDB numbers compare exactly. Undefined for text that is no number.
 */
export function canonicalDecimal(text: string): string | undefined {
  const match = DECIMAL.exec(text.trim());
  if (!match) return undefined;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  if (whole === '' && fraction === '') return undefined;
  let digits = (whole + fraction).replace(/^0+/, '');
  if (digits === '') return '0';
  let scale = Number(exponent) - fraction.length;
  const trimmed = digits.replace(/0+$/, '');
  scale += digits.length - trimmed.length;
  digits = trimmed;
  return `${sign === '-' ? '-' : ''}${digits}e${scale}`;
}
