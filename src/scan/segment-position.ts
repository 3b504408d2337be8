import { mapFromJson, mapToJson, type JsonAttributeMap } from '../records/lambda-record.js';
import type { AttributeMap } from '../records/record.js';
import { plural } from '../util/plural.js';
import type { ScanKey } from './scan-progress.js';

/**
 * Where a segment of a shared scan stands: how many of its items were delivered, and the key
 * (Scan's LastEvaluatedKey) to continue after; no key: from the segment's start. The count lets
 * whoever continues the segment number its items on from there, so that the synthetic sequence
 * numbers (and event ids) of a group's scan never repeat for two items.
 */
export interface SegmentPosition {
  items: number;
  after?: ScanKey;
}

/**
 * A position as text for a lease's checkpoint: `{"items":250,"after":{"pk":{"S":"item-249"}}}`,
 * the key in Lambda's JSON form (binary as base64). The same position always gives the same
 * text, which is how a worker handing a segment over knows its last page is checkpointed.
 */
export function encodeSegmentPosition(position: SegmentPosition): string {
  return JSON.stringify(position.after ? { items: position.items, after: mapToJson(position.after as AttributeMap) } : { items: position.items });
}

/** A position from its text, or undefined when the text is not one. */
export function decodeSegmentPosition(text: string): SegmentPosition | undefined {
  if (!text.startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const { items, after } = parsed as { items?: unknown; after?: unknown };
  if (!Number.isSafeInteger(items) || (items as number) < 0) return undefined;
  if (after === undefined) return { items: items as number };
  if (typeof after !== 'object' || after === null || Array.isArray(after)) return undefined;
  return { items: items as number, after: mapFromJson(after as JsonAttributeMap) as ScanKey };
}

/** A position for people (`ddbstream leases`): `250 items scanned`; undefined when the text is not a position. */
export function describeSegmentPosition(text: string): string | undefined {
  const position = decodeSegmentPosition(text);
  return position && `${plural(position.items, 'item')} scanned`;
}
