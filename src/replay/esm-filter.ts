import { canonicalDecimal, parseEventNames, parseKeyCondition, type KeyCondition } from '../records/record-filter.js';
import { EVENT_NAMES } from '../records/record.js';
import { UsageError } from '../util/errors.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** The filter options as commander hands them over. */
export interface RawFilterOptions {
  event?: readonly string[];
  key?: readonly string[];
  filter?: readonly string[];
}

/**
 * The `Pattern` strings of an event source mapping's FilterCriteria that select what `--event`,
 * `--key` and `--filter` select together. The replay ANDs `--event` and `--key` with the ORed
 * `--filter` patterns; FilterCriteria only ORs its patterns, so the event and key conditions
 * are folded into each pattern. A `--filter` given alone comes back as the very text it was,
 * so that an ESM file read with `--esm` prints again unchanged.
 */
export function filterCriteriaPatterns(raw: RawFilterOptions): string[] {
  const base = baseCondition(raw);
  const sources = raw.filter ?? [];
  if (!base) return [...sources];
  if (sources.length === 0) return [JSON.stringify(base)];
  return sources.map((source, i) => JSON.stringify(merge(base, JSON.parse(source) as Json, i + 1, [])));
}

/** `--event` and `--key` as one pattern object, or undefined when they select everything. */
function baseCondition(raw: RawFilterOptions): JsonObject | undefined {
  const events = raw.event && raw.event.length > 0 ? parseEventNames(raw.event) : [];
  const keys = (raw.key ?? []).map(parseKeyCondition);
  const base: JsonObject = {};
  if (events.length > 0 && events.length < EVENT_NAMES.length) base.eventName = [...events];
  if (keys.length > 0) {
    const Keys: JsonObject = {};
    for (const key of keys) Keys[key.attribute] = keyPattern(key);
    base.dynamodb = { Keys };
  }
  return Object.keys(base).length > 0 ? base : undefined;
}

/**
 * A key value as a pattern. `--key id=42` matches a string key "42" and a number key 42; a
 * pattern compares a number's text exactly (DynamoDB numbers are strings in the record), so a
 * number is written as DynamoDB normalises it.
 */
function keyPattern(key: KeyCondition): Json {
  if (key.number === undefined) return { S: [key.value] };
  return { $or: [{ S: [key.value] }, { N: [normalisedNumber(key.value)] }] };
}

/** DynamoDB's text for a top-level number: no plus sign, no leading or trailing zeros. */
function normalisedNumber(text: string): string {
  const value = text.trim().replace(/^\+/, '');
  return /^-?\d+(\.\d+)?$/.test(value) && canonicalDecimal(value) !== undefined
    ? value.replace(/^(-?)0+(?=\d)/, '$1').replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')
    : value;
}

const isPlainList = (value: Json): value is Array<string | number | null> =>
  Array.isArray(value) && value.every((item) => item === null || typeof item !== 'object');

/** Both conditions at once, where a pattern can say so; otherwise a usage error naming the field. */
function merge(base: JsonObject, pattern: Json, index: number, path: string[]): JsonObject {
  if (pattern === null || typeof pattern !== 'object' || Array.isArray(pattern)) {
    throw new UsageError(`--filter #${index} is not a pattern object: it cannot be combined with --event or --key`);
  }
  const out: JsonObject = { ...pattern };
  for (const [field, condition] of Object.entries(base)) {
    const there = out[field];
    const where = [...path, field];
    if (there === undefined) {
      out[field] = condition;
    } else if (isPlainList(condition) && isPlainList(there)) {
      const both = there.filter((value) => condition.includes(value));
      if (both.length === 0) {
        throw new UsageError(`--filter #${index} and --event/--key can never both hold at ${where.join('.')}: no record would pass`);
      }
      out[field] = both;
    } else if (isObject(condition) && isObject(there) && !('$or' in there) && !('$or' in condition)) {
      out[field] = merge(condition, there, index, where);
    } else {
      throw new UsageError(
        `--filter #${index} already constrains ${where.join('.')}: an event source mapping cannot AND it with --event/--key; ` +
          'write the condition into the --filter pattern instead',
      );
    }
  }
  return out;
}

function isObject(value: Json | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
