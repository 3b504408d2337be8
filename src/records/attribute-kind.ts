import type { AttributeValue } from '@aws-sdk/client-dynamodb-streams';
import type { AttributeMap, StreamRecord } from './record.js';

/**
 * What an attribute value is, checked rather than assumed, and attribute names read as data.
 *
 * Attribute names are data: `__proto__`, `constructor` or `valueOf` are names like any other, so
 * maps are read through `ownAttribute` (an own-property check: `map[name]` on a plain object
 * would find Object.prototype's members) and built with `newAttributeMap` (no prototype, so
 * assigning `__proto__` makes an attribute instead of changing the object's prototype).
 *
 * A value is known only when its tag carries the payload DynamoDB sends for it (`S` a string,
 * `L` a list...). An untyped `{}` is an empty map: DynamoDB Local streams `{"M":{}}` that way.
 * Anything else (a type this version does not know, a malformed payload) is `unknown`: writers
 * keep it as it came and mark the record, so one odd value never costs the rest.
 */
export type AttributeKind = 'S' | 'N' | 'B' | 'BOOL' | 'NULL' | 'SS' | 'NS' | 'BS' | 'M' | 'L' | 'unknown';

const hasOwn = Object.prototype.hasOwnProperty;

/** The attribute called `name` when the map has it as its own, else undefined. */
export function ownAttribute<T>(map: Readonly<Record<string, T>>, name: string): T | undefined {
  return hasOwn.call(map, name) ? map[name] : undefined;
}

/** An empty map to fill by name: no prototype, so any name (`__proto__` too) becomes an own attribute. */
export function newAttributeMap<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

const EMPTY_MAP: AttributeMap = Object.freeze(newAttributeMap<AttributeValue>());

export function attributeKind(value: AttributeValue): AttributeKind {
  if (typeof value !== 'object' || value === null) return 'unknown';
  // Strings and numbers are most of any item: test them first.
  if (value.S !== undefined) return typeof value.S === 'string' ? 'S' : 'unknown';
  if (value.N !== undefined) return typeof value.N === 'string' ? 'N' : 'unknown';
  if (value.M !== undefined) return isObject(value.M) ? 'M' : 'unknown';
  if (value.L !== undefined) return Array.isArray(value.L) ? 'L' : 'unknown';
  if (value.BOOL !== undefined) return typeof value.BOOL === 'boolean' ? 'BOOL' : 'unknown';
  if (value.NULL !== undefined) return value.NULL === true ? 'NULL' : 'unknown';
  if (value.B !== undefined) return value.B instanceof Uint8Array ? 'B' : 'unknown';
  if (value.SS !== undefined) return isListOf(value.SS, 'string') ? 'SS' : 'unknown';
  if (value.NS !== undefined) return isListOf(value.NS, 'string') ? 'NS' : 'unknown';
  if (value.BS !== undefined) return Array.isArray(value.BS) && value.BS.every((b) => b instanceof Uint8Array) ? 'BS' : 'unknown';
  return isEmptyObject(value) ? 'M' : 'unknown';
}

/** The members of a value of kind `M`; an untyped `{}` has none. */
export function mapOf(value: AttributeValue): AttributeMap {
  return value.M ?? EMPTY_MAP;
}

/** What a writer met that it does not know; one per line or record, so the caller can mark it. */
export interface UnknownTally {
  values: number;
}

/** Records written with an `undecodable` marker in a run: what the closing warning counts. */
export interface UndecodableCount {
  records: number;
}

/**
 * Where a record holds values of kind `unknown`: `newImage.payload`, `keys.pk`,
 * `oldImage.list[2].x` (names JSON-quoted when they are not plain words). Walked only for a record
 * a writer has already found something in, so the common case pays nothing for it.
 */
export function unknownPaths(record: Pick<StreamRecord, 'keys' | 'oldImage' | 'newImage'>): string[] {
  const out: string[] = [];
  walkMap('keys', record.keys, out);
  if (record.oldImage) walkMap('oldImage', record.oldImage, out);
  if (record.newImage) walkMap('newImage', record.newImage, out);
  return out;
}

const PLAIN_NAME = /^[\p{L}\p{N}_-]+$/u;

/** An attribute name as it appears in a path: bare when unambiguous, else JSON-quoted. */
export function formatAttributeName(name: string): string {
  return PLAIN_NAME.test(name) ? name : JSON.stringify(name);
}

function walkMap(path: string, map: AttributeMap, out: string[]): void {
  for (const name of Object.keys(map)) walkValue(`${path}.${formatAttributeName(name)}`, map[name]!, out);
}

function walkValue(path: string, value: AttributeValue, out: string[]): void {
  const kind = attributeKind(value);
  if (kind === 'unknown') out.push(path);
  else if (kind === 'M') walkMap(path, mapOf(value), out);
  else if (kind === 'L') value.L!.forEach((member, i) => walkValue(`${path}[${i}]`, member, out));
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmptyObject(value: object): boolean {
  if (Array.isArray(value)) return false;
  for (const name in value) if (hasOwn.call(value, name)) return false;
  return true;
}

function isListOf(value: unknown, type: 'string'): boolean {
  return Array.isArray(value) && value.every((member) => typeof member === type);
}
