import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { AttributeMap, StreamRecord, StreamViewType } from '../records/record.js';

/** Where scanned items come from and how their records are marked. */
export interface ScanRecordContext {
  table: string;
  /** The stream's ARN ('' for a table without a stream). */
  streamArn: string;
  region: string;
  keyNames: readonly string[];
  viewType?: StreamViewType;
}

/** Width of synthetic sequence numbers: as wide as DynamoDB's, so they sort and compare alike. */
const SEQUENCE_DIGITS = 21;

/** Items a segment of a shared scan may number: the segment's index goes in front of them. */
const ITEMS_PER_SEGMENT = 10n ** 18n;

/**
 * The sequence number of a group's scanned item (`--scan --group`): its segment in the first
 * digits, its number within the segment after. Workers number their items apart, yet the
 * numbers of one segment increase whoever scans it, and an item delivered again after a
 * takeover gets the number it had (when the table has not changed in between).
 */
export function groupSequence(segment: number, item: number): bigint {
  return BigInt(segment) * ITEMS_PER_SEGMENT + BigInt(item);
}

/** The pseudo-shard a segment's records travel in, so pages, batches and checkpoints stay per segment. */
export function segmentShardId(segment: number): string {
  return `scan-segment-${segment}`;
}

/** The segment of a pseudo-shard id, or undefined for a real shard. */
export function segmentOf(shardId: string): number | undefined {
  const match = /^scan-segment-(\d+)$/.exec(shardId);
  return match ? Number(match[1]) : undefined;
}

/**
 * A scanned item as a synthetic INSERT: marked `scan`, an `eventID` of `scan-…`, a distinct and
 * increasing sequence number (so `batchItemFailures` can name it), the stream's view type (keys
 * only on a KEYS_ONLY stream, where no image travels) and the time it was read.
 */
export function scannedRecord(item: Record<string, AttributeValue>, segment: number, sequence: bigint, time: Date, context: ScanRecordContext): StreamRecord {
  const image = item as AttributeMap;
  const keys: AttributeMap = {};
  for (const name of context.keyNames) {
    const value = image[name];
    if (value) keys[name] = value;
  }
  const sequenceNumber = sequence.toString().padStart(SEQUENCE_DIGITS, '0');
  const keysOnly = context.viewType === 'KEYS_ONLY';
  // An OLD_IMAGE stream sends no new image for an INSERT: a synthetic one does not either.
  const withImage = !keysOnly && context.viewType !== 'OLD_IMAGE';
  return {
    streamArn: context.streamArn,
    table: context.table,
    shardId: segmentShardId(segment),
    sequenceNumber,
    eventId: `scan-${sequenceNumber}`,
    eventName: 'INSERT',
    eventVersion: '1.1',
    awsRegion: context.region,
    time,
    keys,
    ...(withImage ? { newImage: image } : {}),
    sizeBytes: itemSize(withImage ? image : keys),
    ...(context.viewType ? { streamViewType: context.viewType } : {}),
    scan: true,
  };
}

/** An item's size the way DynamoDB counts it, near enough: names plus values. */
function itemSize(map: AttributeMap): number {
  let size = 0;
  for (const [name, value] of Object.entries(map)) size += Buffer.byteLength(name) + valueSize(value);
  return size;
}

function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^[-+]|\./g, '').length / 2) + 1;
  if (value.B !== undefined) return value.B.length;
  if (value.SS !== undefined) return value.SS.reduce((n, s) => n + Buffer.byteLength(s), 0);
  if (value.NS !== undefined) return value.NS.reduce((n, s) => n + Math.ceil(s.length / 2) + 1, 0);
  if (value.BS !== undefined) return value.BS.reduce((n, b) => n + b.length, 0);
  if (value.M !== undefined) return 3 + itemSize(value.M as AttributeMap);
  if (value.L !== undefined) return 3 + value.L.reduce((n, v) => n + 1 + valueSize(v), 0);
  return 1;
}
