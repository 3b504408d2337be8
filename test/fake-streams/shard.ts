import { MAX_RECORDS_PER_SHARD, SEQUENCE_STRIDE, eventIdFor } from './ids.js';
import { normalizeRecord, type RecordGenerator, type StoredRecord } from './records.js';

/** Records produced on demand from their index, so a shard of millions costs no memory. */
export interface LazyRecords {
  count: number;
  /** Default: `syntheticRecords()`. Called with the record's index within the shard. */
  generate?: RecordGenerator;
  /** Epoch ms of the first generated record (default: now); each next one is `intervalMs` later. */
  startTime?: number;
  intervalMs?: number;
}

type Segment =
  | { kind: 'explicit'; start: number; records: StoredRecord[] }
  | { kind: 'lazy'; start: number; count: number; generate: RecordGenerator; startTime: number; intervalMs: number };

export interface ShardInit {
  shardId: string;
  streamArn: string;
  ordinal: number;
  base: bigint;
  parentShardId?: string;
  createdAt: number;
  keyNames: string[];
}

export class Shard {
  readonly shardId: string;
  readonly streamArn: string;
  readonly ordinal: number;
  readonly base: bigint;
  readonly parentShardId: string | undefined;
  readonly createdAt: number;
  readonly children: string[] = [];
  closed = false;
  /** Trimmed away as a whole: no longer listed, its children become roots. */
  dropped = false;
  /** Index of the oldest record still readable. */
  trimIndex = 0;
  count = 0;
  /** DescribeStream race: answers still showing the shard open; at 0 the next DescribeStream closes it. */
  closeAfterDescribes: number | undefined;
  /** Children listed late: DescribeStream answers that still leave the shard out (it exists and takes writes). */
  hiddenForDescribes = 0;
  private readonly segments: Segment[] = [];
  private readonly keyNames: string[];

  constructor(init: ShardInit) {
    this.shardId = init.shardId;
    this.streamArn = init.streamArn;
    this.ordinal = init.ordinal;
    this.base = init.base;
    this.parentShardId = init.parentShardId;
    this.createdAt = init.createdAt;
    this.keyNames = init.keyNames;
  }

  appendStored(records: StoredRecord[]): void {
    if (records.length === 0) return;
    this.ensureRoom(records.length);
    const last = this.segments.at(-1);
    if (last?.kind === 'explicit') {
      last.records.push(...records);
    } else {
      this.segments.push({ kind: 'explicit', start: this.count, records: [...records] });
    }
    this.count += records.length;
  }

  appendLazy(lazy: LazyRecords, generate: RecordGenerator, nowMs: number): void {
    if (lazy.count <= 0) return;
    this.ensureRoom(lazy.count);
    this.segments.push({
      kind: 'lazy',
      start: this.count,
      count: lazy.count,
      generate,
      startTime: lazy.startTime ?? nowMs,
      intervalMs: lazy.intervalMs ?? 0,
    });
    this.count += lazy.count;
  }

  sequenceAt(index: number): bigint {
    return this.base + BigInt(index) * SEQUENCE_STRIDE;
  }

  /** Index of the first record at (or, with `after`, past) a sequence number; may lie outside 0..count. */
  indexOf(sequenceNumber: bigint, after: boolean): number {
    const offset = sequenceNumber - this.base;
    if (offset < 0n) return -1;
    const whole = offset / SEQUENCE_STRIDE;
    const exact = offset % SEQUENCE_STRIDE === 0n;
    const index = after ? whole + 1n : exact ? whole : whole + 1n;
    return index > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(index);
  }

  recordAt(index: number): { record: StoredRecord; eventId: string } {
    const segment = this.segmentAt(index);
    if (segment.kind === 'explicit') {
      return { record: segment.records[index - segment.start]!, eventId: eventIdFor(this.shardId, index) };
    }
    const defaultTime = segment.startTime + (index - segment.start) * segment.intervalMs;
    const record = normalizeRecord(segment.generate(index), this.keyNames, defaultTime);
    return { record, eventId: eventIdFor(this.shardId, index) };
  }

  endingSequenceNumber(): bigint | undefined {
    if (!this.closed) return undefined;
    return this.count > 0 ? this.sequenceAt(this.count - 1) : this.base;
  }

  private segmentAt(index: number): Segment {
    let low = 0;
    let high = this.segments.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.segments[mid]!.start <= index) low = mid;
      else high = mid - 1;
    }
    const segment = this.segments[low];
    if (!segment || index < 0 || index >= this.count) throw new RangeError(`no record ${index} in ${this.shardId}`);
    return segment;
  }

  private ensureRoom(more: number): void {
    if (this.count + more > MAX_RECORDS_PER_SHARD) {
      throw new Error(`shard ${this.shardId} cannot hold more than ${MAX_RECORDS_PER_SHARD} records`);
    }
  }
}
