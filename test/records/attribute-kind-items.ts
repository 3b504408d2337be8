import fc from 'fast-check';
import { canonNative, parseLossless } from './attribute-kind-judge.js';

/**
 * Generated DynamoDB items as a tree of their own, so that what was served can be written out
 * (as the wire text, and as the NDJSON value it should become) without the code under test.
 */
export type Value =
  | { t: 'S'; v: string }
  /** `v` as served (any spelling DynamoDB Local passes on inside maps and lists), `plain` its canonical digits. */
  | { t: 'N'; v: string; plain: string }
  /** base64 */
  | { t: 'B'; v: string }
  | { t: 'BOOL'; v: boolean }
  | { t: 'NULL' }
  | { t: 'SS' | 'BS'; v: string[] }
  | { t: 'NS'; v: { v: string; plain: string }[] }
  /** `untyped`: an empty map served as DynamoDB Local does, `{}`. */
  | { t: 'M'; v: [string, Value][]; untyped: boolean }
  | { t: 'L'; v: Value[] };

/** An item's attributes besides its key `pk` (always `{"S":"item"}`). */
export type Item = [string, Value][];

/** DynamoDB's range: 38 significant digits, 1E-130 to 9.99…E+125 in magnitude; written in plain digits. */
const canonicalNumber = fc.record({
  negative: fc.boolean(),
  digits: fc.stringMatching(/^[1-9](\d{0,36}[1-9])?$/),
  lead: fc.oneof(fc.integer({ min: -130, max: 125 }), fc.constantFrom(-130, 125, 0, -1, 37)),
}).map(({ negative, digits, lead }) => {
  const point = lead + 1; // digits before the decimal point
  let plain: string;
  if (point >= digits.length) plain = digits + '0'.repeat(point - digits.length);
  else if (point > 0) plain = `${digits.slice(0, point)}.${digits.slice(point)}`;
  else plain = `0.${'0'.repeat(-point)}${digits}`;
  const sign = negative ? '-' : '';
  const scientific = `${digits[0]}${digits.length > 1 ? '.' + digits.slice(1) : ''}E${lead >= 0 ? '+' : ''}${lead}`;
  return { plain: sign + plain, sign, unsigned: plain, scientific, digits, lead };
});

/** The same number as served at the top level (plain) or inside a map or list (any spelling). */
const spelledNumber = (anySpelling: boolean) => canonicalNumber.chain((n) => {
  if (!anySpelling) return fc.constant({ v: n.plain, plain: n.plain });
  const spellings = [
    n.plain,
    n.sign + n.scientific,
    n.sign === '' ? `+${n.unsigned}` : n.plain,
    `${n.sign}00${n.unsigned}`,
    n.unsigned.includes('.') ? `${n.plain}00` : `${n.plain}.0`,
    n.unsigned.startsWith('0.') ? n.sign + n.unsigned.slice(1) : n.plain,
    n.digits.length === 1 ? `${n.sign}${n.digits}.e${n.lead}` : n.plain,
  ];
  return fc.constantFrom(...spellings).map((v) => ({ v, plain: n.plain }));
});

const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.constantFrom('', '\u2028\u2029', '\u001b[1m', '\u009b31m', '\u202eevil', 'tab\there', 'quote"\\', '😀'),
);

/** Names DynamoDB accepts, weighted towards the ones plain objects misread. */
export const attributeName = fc.oneof(
  fc.constantFrom(...Object.getOwnPropertyNames(Object.prototype)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }),
  fc.constantFrom('a.b', 'x"y', 'line\nbreak', '\u2028', '0', '12', 'S', 'M', 'L', 'e'),
);

const base64 = fc.uint8Array({ maxLength: 8 }).map((bytes) => Buffer.from(bytes).toString('base64'));
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function leaf(nested: boolean): fc.Arbitrary<Value> {
  return fc.oneof(
    text.map((v): Value => ({ t: 'S', v })),
    spelledNumber(nested).map((n): Value => ({ t: 'N', ...n })),
    base64.map((v): Value => ({ t: 'B', v })),
    fc.boolean().map((v): Value => ({ t: 'BOOL', v })),
    fc.constant<Value>({ t: 'NULL' }),
    // Sets are never empty and hold no member twice; served in one fixed order (DynamoDB has its own).
    fc.uniqueArray(text, { minLength: 1, maxLength: 4 }).map((v): Value => ({ t: 'SS', v: v.sort(byCodeUnit) })),
    fc.uniqueArray(spelledNumber(false), { minLength: 1, maxLength: 4, selector: (n) => canonNative(parseLossless(n.plain)) })
      .map((v): Value => ({ t: 'NS', v: v.sort((a, b) => byCodeUnit(a.v, b.v)) })),
    fc.uniqueArray(base64, { minLength: 1, maxLength: 3 }).map((v): Value => ({ t: 'BS', v: v.sort(byCodeUnit) })),
  );
}

function members(depth: number, names: fc.Arbitrary<string>): fc.Arbitrary<[string, Value][]> {
  return fc.uniqueArray(fc.tuple(names, value(depth, true)), { maxLength: 4, selector: ([name]) => name });
}

function value(depth: number, nested: boolean): fc.Arbitrary<Value> {
  if (depth === 0) return leaf(nested);
  return fc.oneof(
    { weight: 3, arbitrary: leaf(nested) },
    { weight: 1, arbitrary: fc.tuple(members(depth - 1, attributeName), fc.boolean()).map(([v, untyped]): Value => ({ t: 'M', v, untyped: untyped && v.length === 0 })) },
    { weight: 1, arbitrary: fc.array(value(depth - 1, true), { maxLength: 4 }).map((v): Value => ({ t: 'L', v })) },
  );
}

export const itemArbitrary: fc.Arbitrary<Item> = fc.uniqueArray(
  fc.tuple(attributeName.filter((name) => name !== 'pk'), value(3, false)),
  { maxLength: 6, selector: ([name]) => name },
);

/** The item as GetRecords sends it (pk first); `typedEmptyMaps` writes `{}` as AWS does, `{"M":{}}`. */
export function wireItem(item: Item, options: { typedEmptyMaps?: boolean } = {}): string {
  return wireMap([['pk', { t: 'S', v: 'item' }], ...item], Boolean(options.typedEmptyMaps));
}

function wireMap(entries: [string, Value][], typed: boolean): string {
  return `{${entries.map(([name, v]) => `${JSON.stringify(name)}:${wireValue(v, typed)}`).join(',')}}`;
}

function wireValue(value: Value, typed: boolean): string {
  switch (value.t) {
    case 'S': case 'B': return `{"${value.t}":${JSON.stringify(value.v)}}`;
    case 'N': return `{"N":${JSON.stringify(value.v)}}`;
    case 'BOOL': return `{"BOOL":${value.v}}`;
    case 'NULL': return '{"NULL":true}';
    case 'SS': case 'BS': return `{"${value.t}":${JSON.stringify(value.v)}}`;
    case 'NS': return `{"NS":${JSON.stringify(value.v.map((n) => n.v))}}`;
    case 'M': return value.untyped && !typed ? '{}' : `{"M":${wireMap(value.v, typed)}}`;
    case 'L': return `{"L":[${value.v.map((v) => wireValue(v, typed)).join(',')}]}`;
  }
}

/** The item as NDJSON should hold it: numbers by value, sets as lists, binary as base64, NULL null. */
export function nativeItemJson(item: Item): string {
  return nativeMap([['pk', { t: 'S', v: 'item' }], ...item]);
}

function nativeMap(entries: [string, Value][]): string {
  return `{${entries.map(([name, v]) => `${JSON.stringify(name)}:${nativeValue(v)}`).join(',')}}`;
}

function nativeValue(value: Value): string {
  switch (value.t) {
    case 'S': case 'B': return JSON.stringify(value.v);
    case 'N': return value.plain;
    case 'BOOL': return String(value.v);
    case 'NULL': return 'null';
    case 'SS': case 'BS': return JSON.stringify(value.v);
    case 'NS': return `[${value.v.map((n) => n.plain).join(',')}]`;
    case 'M': return nativeMap(value.v);
    case 'L': return `[${value.v.map(nativeValue).join(',')}]`;
  }
}

/** The canonical form of what NDJSON should say for the item (see attribute-kind-judge.ts). */
export function canonItem(item: Item): string {
  return canonNative(parseLossless(nativeItemJson(item)));
}
