import { describeStartPosition } from './position.js';
import type { StartPosition } from './types.js';

/**
 * Where a shard's unread records began when the stream no longer had them (24-hour retention).
 * The reader finds out in one of three ways, and each is told differently.
 */
export type TrimmedPoint =
  /** GetRecords on an iterator the reader held: the records after the last one read had gone. */
  | { kind: 'after-read'; lastRead: string | undefined; startedAt: StartPosition }
  /** GetShardIterator at a sequence number (a checkpoint, or --from) the stream no longer keeps. */
  | { kind: 'sequence'; position: Extract<StartPosition, { sequenceNumber: string }> }
  /** GetShardIterator found no shard: it aged out of the stream whole. */
  | { kind: 'shard-gone'; position: StartPosition };

/** The records that were asked for, as the subject of "… has been trimmed" or "… aged out". */
export function describeTrimmedPoint(point: TrimmedPoint): string {
  switch (point.kind) {
    case 'after-read':
      return `the position after ${point.lastRead ?? describeStartPosition(point.startedAt)}`;
    case 'sequence':
      return `sequence number ${point.position.sequenceNumber}`;
    case 'shard-gone':
      return `the records from ${describeStartPosition(point.position)}`;
  }
}

/** Where the lost records begin, as in "the records … were trimmed". */
export function describeLostRecords(point: TrimmedPoint): string {
  switch (point.kind) {
    case 'after-read':
      return point.lastRead
        ? `after sequence number ${point.lastRead}`
        : `from where this run began (${describeStartPosition(point.startedAt)})`;
    case 'sequence':
      return `${point.position.type === 'AFTER_SEQUENCE_NUMBER' ? 'after' : 'from'} sequence number ${point.position.sequenceNumber}`;
    case 'shard-gone':
      return `from ${describeStartPosition(point.position)}`;
  }
}
