import type { AttributeValue } from '@aws-sdk/client-dynamodb-streams';
import { NumberValueImpl } from '@aws-sdk/util-dynamodb';
import { bytesToBase64 } from '../util/base64.js';
import { QuotedStrings } from '../util/quoted-strings.js';
import type { AttributeMap } from './record.js';
import { attributeKind, type UnknownTally } from './attribute-kind.js';

/**
 * Marshalled DynamoDB values as jq-friendly JSON text with exact types: numbers keep the digits
 * DynamoDB sent (never through a double), sets become arrays, binary becomes base64, NULL null.
 *
 * `imageToExactJson` is the export hot path. It walks maps and lists itself and writes every
 * kind directly, sets and binary included (util-dynamodb's `convertToNative` built a Set and a
 * NumberValue per member first, for a value in most items). Walking containers ourselves is
 * about twice as fast as util-dynamodb's `unmarshall` and also keeps an attribute named
 * `__proto__`, which `unmarshall` drops (it assigns keys onto a plain object). The tests hold it
 * to the text of the reference path, `unmarshall` with `wrapNumbers` followed by
 * `stringifyExact`, a writer that knows NumberValue, Set and Uint8Array.
 *
 * Writing never fails on a value: an untyped `{}` (DynamoDB Local's empty map) is `{}`, and a
 * value of a type it does not know is written as it came on the wire (`{"X": ...}`) and counted
 * in `unknown`, so the caller can mark the line (see attribute-kind.ts).
 */

/** One marshalled image (Keys, NewImage, OldImage) as a JSON object text. */
export function imageToExactJson(image: AttributeMap, unknown?: UnknownTally): string {
  let out = '{';
  let first = true;
  // for-in visits own enumerable names (a JSON-parsed image has `__proto__` as one): they are
  // read here, never assigned, so every name is data. Object.prototype has no enumerable member.
  for (const name in image) {
    const value = image[name];
    if (value === undefined) continue;
    if (first) first = false;
    else out += ',';
    out += quotedKeys.quote(name) + ':' + attributeToExactJson(value, unknown);
  }
  return out + '}';
}

/**
 * One marshalled attribute value as JSON text. The common kinds are tested inline, in the order
 * of `attributeKind` (so both agree on what is unknown); this runs for every value exported.
 */
export function attributeToExactJson(value: AttributeValue, unknown?: UnknownTally): string {
  if (typeof value !== 'object' || value === null) return unknownJson(value, unknown);
  const s = value.S;
  if (s !== undefined) return typeof s === 'string' ? JSON.stringify(s) : unknownJson(value, unknown);
  const n = value.N;
  if (n !== undefined) return typeof n === 'string' ? exactNumberToken(n) : unknownJson(value, unknown);
  const m = value.M;
  if (m !== undefined) return typeof m === 'object' && m !== null && !Array.isArray(m) ? imageToExactJson(m, unknown) : unknownJson(value, unknown);
  const list = value.L;
  if (list !== undefined) {
    if (!Array.isArray(list)) return unknownJson(value, unknown);
    let out = '[';
    for (let i = 0; i < list.length; i++) {
      if (i > 0) out += ',';
      out += attributeToExactJson(list[i] as AttributeValue, unknown);
    }
    return out + ']';
  }
  switch (attributeKind(value)) {
    case 'BOOL': return value.BOOL ? 'true' : 'false';
    case 'NULL': return 'null';
    case 'M': return '{}'; // an untyped {}: DynamoDB Local's empty map
    case 'B': return '"' + bytesToBase64(value.B!) + '"';
    case 'SS': return stringSetJson(value.SS!);
    case 'NS': {
      // Every member written, repeats too: the reference's Set holds one NumberValue object each.
      let out = '[';
      for (let i = 0; i < value.NS!.length; i++) out += (i > 0 ? ',' : '') + exactNumberToken(value.NS![i]!);
      return out + ']';
    }
    case 'BS': {
      let out = '[';
      for (let i = 0; i < value.BS!.length; i++) out += (i > 0 ? ',' : '') + '"' + bytesToBase64(value.BS![i]!) + '"';
      return out + ']';
    }
    default: return unknownJson(value, unknown);
  }
}

/**
 * A string set as a JSON array. A repeated member (DynamoDB never sends one; hand-made input
 * might) is written once, in first-seen order, as the reference's Set of strings keeps it. Small
 * sets (most of them) are checked in place rather than through a Set built for every value.
 */
function stringSetJson(members: string[]): string {
  const small = members.length <= SMALL_SET;
  const unique = small ? members : [...new Set(members)];
  let out = '[';
  for (let i = 0; i < unique.length; i++) {
    const member = unique[i]!;
    if (small && i > 0 && unique.indexOf(member) < i) continue;
    out += (out.length > 1 ? ',' : '') + JSON.stringify(member);
  }
  return out + ']';
}

const SMALL_SET = 16;

function unknownJson(value: unknown, unknown: UnknownTally | undefined): string {
  if (unknown) unknown.values++;
  return wireJson(value);
}

/** A value this writer does not know, as it came: its JSON (binary as base64), nothing dropped. */
export function wireJson(value: unknown): string {
  return stringifyExact(value);
}

/**
 * JSON text of an unmarshalled value: NumberValue as its exact digits, Set as an array,
 * Uint8Array as base64, strings escaped exactly as JSON.stringify does.
 */
export function stringifyExact(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      // Only reachable for values built without wrapNumbers; JSON has no NaN or Infinity.
      return Number.isFinite(value) ? String(value) : 'null';
    case 'bigint':
      return value.toString();
    case 'object': {
      if (value === null) return 'null';
      if (value instanceof NumberValueImpl) return exactNumberToken(value.value);
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          out += stringifyExact(value[i]);
        }
        return out + ']';
      }
      if (value instanceof Uint8Array) return '"' + bytesToBase64(value) + '"';
      if (value instanceof Set) {
        let out = '[';
        let first = true;
        for (const item of value) {
          if (first) first = false;
          else out += ',';
          out += stringifyExact(item);
        }
        return out + ']';
      }
      let out = '{';
      let first = true;
      for (const key of Object.keys(value)) {
        const item = (value as Record<string, unknown>)[key];
        if (item === undefined) continue;
        if (first) first = false;
        else out += ',';
        out += quotedKeys.quote(key) + ':' + stringifyExact(item);
      }
      return out + '}';
    }
    default:
      // undefined, functions, symbols: not data; JSON.stringify writes null inside arrays too.
      return 'null';
  }
}

/**
 * The JSON number token for a DynamoDB number string. DynamoDB sends canonical digits, which are
 * already valid JSON and pass through unchanged; hand-made input (fixtures, other tools) may
 * carry a leading `+`, leading zeros or a bare `.5`, which are rewritten without changing a
 * digit's value. Text that is no number at all is written as a JSON string so the line stays
 * valid JSON.
 */
export function exactNumberToken(text: string): string {
  return isJsonNumber(text) ? text : normalizeNumber(text);
}

/** JSON's number grammar, checked without a regular expression (this runs for every number). */
export function isJsonNumber(text: string): boolean {
  const n = text.length;
  let i = 0;
  if (i < n && text.charCodeAt(i) === 45 /* - */) i++;
  if (i >= n) return false;
  let c = text.charCodeAt(i);
  if (c === 48 /* 0 */) {
    i++;
  } else if (c >= 49 && c <= 57) {
    i++;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
  } else {
    return false;
  }
  if (i < n && text.charCodeAt(i) === 46 /* . */) {
    i++;
    const start = i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    if (i === start) return false;
  }
  if (i < n) {
    c = text.charCodeAt(i);
    if (c !== 101 /* e */ && c !== 69 /* E */) return false;
    i++;
    if (i < n) {
      c = text.charCodeAt(i);
      if (c === 43 /* + */ || c === 45 /* - */) i++;
    }
    const start = i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    if (i === start) return false;
  }
  return i === n;
}

const LOOSE_NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function normalizeNumber(text: string): string {
  const match = LOOSE_NUMBER.exec(text.trim());
  const [, sign = '', whole = '', fraction = '', exponent] = match ?? [];
  if (!match || (whole === '' && fraction === '')) return JSON.stringify(text);
  const integer = whole.replace(/^0+(?=\d)/, '') || '0';
  return (sign === '-' ? '-' : '') + integer + (fraction ? '.' + fraction : '') +
    (exponent !== undefined ? 'e' + exponent : '');
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

// Attribute names repeat across millions of records; the bound covers tables with unbounded name sets.
const quotedKeys = new QuotedStrings(4096);
