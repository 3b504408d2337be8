import type { AttributeValue } from '@aws-sdk/client-dynamodb-streams';
import { base64ToBytes, bytesToBase64 } from '../util/base64.js';
import type { AttributeMap } from './record.js';
import { attributeKind, formatAttributeName, mapOf, ownAttribute } from './attribute-kind.js';

/**
 * One difference between an old and a new item image, at an attribute path.
 *
 * - `add`: the path exists only in the new image (`to` is its value).
 * - `remove`: the path exists only in the old image (`from` is its value).
 * - `change`: the path exists in both with different values (`from` → `to`). Maps and lists of the
 *   same type are never reported whole: the diff descends into them, so a change is a leaf, a
 *   type change, or a set.
 *
 * Sets (SS, NS, BS) that keep their type are one `change` carrying the whole old and new sets in
 * `from`/`to` plus the members that went in and out as `added`/`removed` (sets of the same type,
 * present only when not empty). One entry per set reads better than one per member and keeps
 * `from`/`to` meaning "old value, new value" everywhere.
 *
 * Values stay marshalled AttributeValues so numbers keep their exact digits and binary its bytes.
 */
export interface DiffEntry {
  path: string;
  op: 'add' | 'remove' | 'change';
  from?: AttributeValue;
  to?: AttributeValue;
  added?: AttributeValue;
  removed?: AttributeValue;
}

export type PathSegment = string | number;

export { formatAttributeName };

/** `profile.address.city`, `items[2].sku`, `"a.b".c`: names joined by dots, list indexes in brackets. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += (out === '' ? '' : '.') + formatAttributeName(segment);
  }
  return out;
}

/** What a value is (see attribute-kind.ts): an untyped `{}` is an empty map. */
export const kindOf = attributeKind;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.from(a.buffer, a.byteOffset, a.byteLength)
    .equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** Sets are unordered: compare members by identity (exact digits for numbers, bytes for binary). */
function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const seen = new Set(a);
  return b.every((m) => seen.has(m));
}

/**
 * Exact equality. Numbers compare as the strings DynamoDB sent: DynamoDB normalizes numbers on
 * write (no leading or trailing zeros), so equal numbers arrive as equal strings.
 */
export function sameValue(a: AttributeValue, b: AttributeValue): boolean {
  const kind = kindOf(a);
  if (kind !== kindOf(b)) return false;
  switch (kind) {
    case 'S': return a.S === b.S;
    case 'N': return a.N === b.N;
    case 'B': return sameBytes(a.B!, b.B!);
    case 'BOOL': return a.BOOL === b.BOOL;
    case 'NULL': return true;
    case 'SS': return sameMembers(a.SS!, b.SS!);
    case 'NS': return sameMembers(a.NS!, b.NS!);
    case 'BS': return sameMembers(a.BS!.map(bytesToBase64), b.BS!.map(bytesToBase64));
    case 'M': {
      const x = mapOf(a);
      const y = mapOf(b);
      const names = Object.keys(x);
      if (names.length !== Object.keys(y).length) return false;
      return names.every((n) => {
        const other = ownAttribute(y, n);
        return other !== undefined && sameValue(x[n]!, other);
      });
    }
    case 'L': {
      const x = a.L!;
      const y = b.L!;
      return x.length === y.length && x.every((v, i) => sameValue(v, y[i]!));
    }
    case 'unknown': return JSON.stringify(a) === JSON.stringify(b);
  }
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface Decimal { sign: -1 | 0 | 1; digits: string; point: number }

/** `-12.50e3` → sign, significant digits, and where the decimal point sits relative to them. */
function parseDecimal(text: string): Decimal | undefined {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return undefined;
  const whole = match[2] ?? '';
  const fraction = match[3] ?? '';
  const all = whole + fraction;
  const lead = all.length - all.replace(/^0+/, '').length;
  const digits = all.slice(lead).replace(/0+$/, '');
  if (digits === '') return { sign: 0, digits: '', point: 0 };
  return { sign: match[1] === '-' ? -1 : 1, digits, point: whole.length - lead + Number(match[4] ?? 0) };
}

/** Numeric order of two DynamoDB number strings, exact for any precision (no doubles). */
export function compareNumbers(a: string, b: string): number {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  if (!x || !y) return byCodeUnit(a, b);
  if (x.sign !== y.sign) return x.sign < y.sign ? -1 : 1;
  if (x.sign === 0) return 0;
  let magnitude: number;
  if (x.point !== y.point) magnitude = x.point < y.point ? -1 : 1;
  else {
    const len = Math.max(x.digits.length, y.digits.length);
    magnitude = byCodeUnit(x.digits.padEnd(len, '0'), y.digits.padEnd(len, '0'));
  }
  return x.sign * magnitude;
}

function setDelta(from: AttributeValue, to: AttributeValue): Pick<DiffEntry, 'added' | 'removed'> {
  const kind = kindOf(from);
  // Binary members compare as their base64 text: equal bytes, equal text.
  const members = (v: AttributeValue): string[] =>
    kind === 'SS' ? v.SS! : kind === 'NS' ? v.NS! : v.BS!.map(bytesToBase64);
  const before = new Set(members(from));
  const after = new Set(members(to));
  const compare = kind === 'NS' ? compareNumbers : byCodeUnit;
  const added = [...after].filter((m) => !before.has(m)).sort(compare);
  const removed = [...before].filter((m) => !after.has(m)).sort(compare);
  const wrap = (list: string[]): AttributeValue =>
    kind === 'SS' ? { SS: list } : kind === 'NS' ? { NS: list } : { BS: list.map(base64ToBytes) };
  return {
    ...(added.length ? { added: wrap(added) } : {}),
    ...(removed.length ? { removed: wrap(removed) } : {}),
  };
}

function diffValue(segments: PathSegment[], from: AttributeValue, to: AttributeValue, out: DiffEntry[]): void {
  if (sameValue(from, to)) return;
  const kind = kindOf(from);
  if (kind !== kindOf(to)) {
    out.push({ path: formatPath(segments), op: 'change', from, to });
    return;
  }
  switch (kind) {
    case 'M':
      diffMaps(segments, mapOf(from), mapOf(to), out);
      return;
    case 'L': {
      const a = from.L!;
      const b = to.L!;
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        const path = [...segments, i];
        if (i >= a.length) out.push({ path: formatPath(path), op: 'add', to: b[i]! });
        else if (i >= b.length) out.push({ path: formatPath(path), op: 'remove', from: a[i]! });
        else diffValue(path, a[i]!, b[i]!, out);
      }
      return;
    }
    case 'SS': case 'NS': case 'BS':
      out.push({ path: formatPath(segments), op: 'change', from, to, ...setDelta(from, to) });
      return;
    default:
      out.push({ path: formatPath(segments), op: 'change', from, to });
  }
}

function diffMaps(segments: PathSegment[], from: AttributeMap, to: AttributeMap, out: DiffEntry[]): void {
  const names = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort(byCodeUnit);
  for (const name of names) {
    const a = ownAttribute(from, name);
    const b = ownAttribute(to, name);
    const path = [...segments, name];
    if (a === undefined && b !== undefined) out.push({ path: formatPath(path), op: 'add', to: b });
    else if (b === undefined && a !== undefined) out.push({ path: formatPath(path), op: 'remove', from: a });
    else if (a !== undefined && b !== undefined) diffValue(path, a, b, out);
  }
}

/**
 * Attribute-level, nested diff of two item images, in a stable order: names in code-unit order at
 * every level, list elements by index, depth first. A missing image counts as empty, so whether a
 * diff against nothing means anything (a NEW_IMAGE stream's MODIFY has no old image) is for the
 * caller to decide.
 */
export function diffImages(oldImage?: AttributeMap, newImage?: AttributeMap): DiffEntry[] {
  const out: DiffEntry[] = [];
  diffMaps([], oldImage ?? {}, newImage ?? {}, out);
  return out;
}
