import type { LambdaStreamRecord } from '../records/lambda-record.js';
import type { CheckpointSlot } from './contiguous-checkpoint.js';
import type { FunctionErrorBody } from './worker-protocol.js';

/** Lambda's synchronous invocation payload limit. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
const ENVELOPE_BYTES = '{"Records":[]}'.length;

/** A record on its way to the handler. */
export interface RecordEntry extends CheckpointSlot {
  /**
   * The record as JSON, made once: it sizes the batch and builds every payload it is in. Only
   * the text is kept (lighter than the object, which few paths need).
   */
  json: string;
  /**
   * At least its bytes in a payload, with the comma that separates it from the next: three per
   * UTF-16 unit of `json`. Exact bytes (`payloadBytes`) are counted only for a batch this bound
   * puts near the payload limit; most batches are far below it.
   */
  bound: number;
  /** Its exact bytes in a payload, once counted. */
  bytes?: number;
  /** ApproximateCreationDateTime in milliseconds, for the record age. */
  timeMs: number;
  streamArn: string;
}

/** The record as it waits for the handler; serialized here, once. */
export function entryOf(record: LambdaStreamRecord): RecordEntry {
  const json = JSON.stringify(record);
  return {
    sequence: record.dynamodb.SequenceNumber, json, bound: json.length * 3 + 1, done: false,
    timeMs: record.dynamodb.ApproximateCreationDateTime * 1000, streamArn: record.eventSourceARN,
  };
}

/** The record's exact bytes in a payload, with its comma. */
export function payloadBytes(entry: RecordEntry): number {
  return (entry.bytes ??= Buffer.byteLength(entry.json) + 1);
}

/** The record back as an object, for the few paths that need one (failure lines, `event`). */
export function recordOf(entry: RecordEntry): LambdaStreamRecord {
  return JSON.parse(entry.json) as LambdaStreamRecord;
}

/** A batch on its way through invoke, retry, bisect and, at worst, the failure destination. */
export interface Unit {
  entries: RecordEntry[];
  retries: number;
  invokeCount: number;
  requestId?: string;
  last?: { functionError: boolean; error?: FunctionErrorBody };
  /** A tumbling window's final invocation: no records, the window's state. */
  final?: boolean;
}

/**
 * One of a shard's `ParallelizationFactor` lanes: its records wait here in stream order, and
 * one batch at a time goes out, so an item (always in the same lane) is never in two batches
 * at once.
 */
export class Lane {
  private queue: RecordEntry[] = [];
  /** The sum of the queued records' `bound`. */
  private queueBound = 0;
  /** Halves of a bisected batch: they run before anything newer. */
  readonly units: Unit[] = [];
  busy = false;
  /** When the oldest queued record arrived: the batching window counts from here. */
  windowStart: number | undefined;
  timer: NodeJS.Timeout | undefined;

  push(entry: RecordEntry, now: number): void {
    if (this.queue.length === 0) this.windowStart = now;
    this.queue.push(entry);
    this.queueBound += entry.bound;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** The queued records, oldest first (tumbling windows cut batches at a window's end). */
  peek(): readonly RecordEntry[] {
    return this.queue;
  }

  /** Records or bisected halves are waiting to run. */
  get waiting(): boolean {
    return this.queue.length > 0 || this.units.length > 0;
  }

  /** The queue fills a batch: BatchSize records, or the payload limit. */
  full(batchSize: number): boolean {
    if (this.queue.length >= batchSize) return true;
    if (this.queueBound + ENVELOPE_BYTES < MAX_PAYLOAD_BYTES) return false;
    return this.queue.reduce((sum, entry) => sum + payloadBytes(entry), ENVELOPE_BYTES) >= MAX_PAYLOAD_BYTES;
  }

  /** The next batch from the queue: up to `batchSize` records, and never past the payload limit. */
  take(batchSize: number, now: number): Unit {
    let count = 0;
    let bound = ENVELOPE_BYTES;
    /** Counted once the bound passes the limit: the exact bytes of the records taken so far. */
    let bytes: number | undefined;
    while (count < this.queue.length && count < batchSize) {
      const next = this.queue[count]!;
      if (bytes === undefined && bound + next.bound > MAX_PAYLOAD_BYTES) {
        bytes = this.queue.slice(0, count).reduce((sum, entry) => sum + payloadBytes(entry), ENVELOPE_BYTES);
      }
      // The first record always goes: an item is at most 400 KB, so one record alone fits.
      if (bytes !== undefined) {
        if (count > 0 && bytes + payloadBytes(next) > MAX_PAYLOAD_BYTES) break;
        bytes += payloadBytes(next);
      }
      bound += next.bound;
      count++;
    }
    const entries = this.queue.splice(0, count);
    this.queueBound -= bound - ENVELOPE_BYTES;
    this.windowStart = this.queue.length > 0 ? now : undefined;
    return { entries, retries: 0, invokeCount: 0 };
  }

  stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
