import { compareSequenceNumbers, type StreamRecord } from '../records/record.js';
import type { StartPosition } from './types.js';

/** Where to start (`--from`). A duration was already resolved to a time when the option was parsed. */
export type FromSpec =
  | { kind: 'trim-horizon' }
  | { kind: 'latest' }
  | { kind: 'sequence'; sequenceNumber: string }
  | { kind: 'time'; time: Date; input: string };

/** Where to stop (`--until`). A duration was already resolved to a time when the option was parsed. */
export type UntilSpec =
  | { kind: 'time'; time: Date; input: string }
  | { kind: 'sequence'; sequenceNumber: string };

/** Where the reader starts root shards, and which records to drop before the asked-for start. */
export interface ReadStart {
  position: StartPosition;
  /**
   * DynamoDB Streams has no timestamp iterator: a time start reads from TRIM_HORIZON and drops
   * records older than the time. Absent when nothing is skipped.
   */
  skip?: (record: StreamRecord) => boolean;
}

/** The reader's start for a `--from`. */
export function readStart(from: FromSpec): ReadStart {
  switch (from.kind) {
    case 'trim-horizon':
      return { position: { type: 'TRIM_HORIZON' } };
    case 'latest':
      return { position: { type: 'LATEST' } };
    case 'sequence':
      return { position: { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: from.sequenceNumber } };
    case 'time': {
      // Records carry whole seconds (ApproximateCreationDateTime): compare at that precision so
      // a record written later in the same second as the start is not dropped.
      const start = Math.floor(from.time.getTime() / 1000) * 1000;
      return { position: { type: 'TRIM_HORIZON' }, skip: (record) => record.time.getTime() < start };
    }
  }
}

/** True for a record after the `--until` point: the reader of that shard is done. */
export function pastUntil(until: UntilSpec): (record: StreamRecord) => boolean {
  if (until.kind === 'time') {
    const end = until.time.getTime();
    return (record) => record.time.getTime() > end;
  }
  const end = BigInt(until.sequenceNumber);
  return (record) => BigInt(record.sequenceNumber) > end;
}

/** Short text for status lines and messages. */
export function describeFrom(from: FromSpec): string {
  switch (from.kind) {
    case 'trim-horizon':
      return 'trim horizon';
    case 'latest':
      return 'latest';
    case 'sequence':
      return `sequence number ${from.sequenceNumber}`;
    case 'time':
      return `${from.time.toISOString()} (skipping older records)`;
  }
}

export function describeUntil(until: UntilSpec): string {
  return until.kind === 'time' ? until.time.toISOString() : `sequence number ${until.sequenceNumber}`;
}

/** Whether `until` comes before `from` when both are times (a window that can hold nothing). */
export function isEmptyWindow(from: FromSpec, until: UntilSpec | undefined): boolean {
  if (!until) return false;
  if (from.kind === 'time' && until.kind === 'time') return until.time.getTime() < from.time.getTime();
  if (from.kind === 'sequence' && until.kind === 'sequence') {
    return compareSequenceNumbers(until.sequenceNumber, from.sequenceNumber) < 0;
  }
  return false;
}

/** An iterator position as the service names it, e.g. `AFTER_SEQUENCE_NUMBER 4900…` or `TRIM_HORIZON`. */
export function describeStartPosition(position: StartPosition): string {
  return 'sequenceNumber' in position ? `${position.type} ${position.sequenceNumber}` : position.type;
}
