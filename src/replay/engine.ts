import { randomUUID } from 'node:crypto';
import type { LambdaStreamRecord } from '../records/lambda-record.js';
import { judgeBatchResponse } from './batch-response.js';
import type {
  BatchFailedEvent, CheckpointSink, EngineEvent, EngineStats, FailureSink, Invoker, RecordFilter, ReplayPage,
} from './engine-types.js';
import { buildFailureLine, type FailureCondition } from './failure-record.js';
import { laneOf } from './item-key.js';
import type { MappingSettings } from './options.js';
import { SaveQueue } from './save-queue.js';
import { Waiters } from './waiters.js';
import type { FunctionErrorBody } from './worker-protocol.js';

/** Lambda's synchronous invocation payload limit. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
const ENVELOPE_BYTES = '{"Records":[]}'.length;

export interface EngineOptions extends Omit<MappingSettings, 'timeoutMs'> {
  invoke: Invoker;
  /** The function ARN written into failure records, for a stream ARN. */
  functionArn: (streamArn: string) => string;
  filter?: RecordFilter;
  onFailure?: FailureSink;
  checkpoint?: CheckpointSink;
  onEvent?: (event: EngineEvent) => void;
  signal?: AbortSignal;
  now?: () => number;
  /** Pause before retry number `retry` (1-based). */
  retryDelayMs?: (retry: number) => number;
  /** Stop reading ahead when this many records wait for the handler. */
  maxBufferedRecords?: number;
  /** Replay at most this many records (after filters), then finish those and stop. */
  maxRecords?: number;
}

interface Entry {
  sequence: string;
  /**
   * The record as JSON, made once: it sizes the batch and builds every payload it is in. Only
   * the text is kept (lighter than the object, which few paths need). Absent for a marker:
   * records the source dropped, which the checkpoint may pass.
   */
  json?: string;
  bytes: number;
  done: boolean;
}

/** An entry that goes to the handler. */
type RecordEntry = Entry & { json: string; timeMs: number; streamArn: string };

const recordOf = (entry: RecordEntry): LambdaStreamRecord => JSON.parse(entry.json) as LambdaStreamRecord;

/** A batch on its way through invoke, retry, bisect and, at worst, the failure destination. */
interface Unit {
  entries: RecordEntry[];
  retries: number;
  invokeCount: number;
  requestId?: string;
  last?: { functionError: boolean; error?: FunctionErrorBody };
}

/** How an attempt failed, before the engine decides what comes next. */
type Failure = Pick<BatchFailedEvent, 'reason' | 'error' | 'crash' | 'detail' | 'succeeded'>;

interface Lane {
  queue: RecordEntry[];
  queueBytes: number;
  /** Halves of a bisected batch: they run before anything newer. */
  units: Unit[];
  busy: boolean;
  windowStart?: number;
  timer?: NodeJS.Timeout;
}

interface Shard {
  id: string;
  /** Records not yet checkpointed, in stream order; `head` is the first one. */
  entries: Entry[];
  head: number;
  lanes: Lane[];
  ended: boolean;
  caughtUp: boolean;
}

/** Retry 1 at once, then 100 ms doubling to 5 s: a poison record with -1 retries does not spin. */
export function defaultRetryDelay(retry: number): number {
  return retry <= 1 ? 0 : Math.min(5000, 100 * 2 ** (retry - 2));
}

/**
 * The event source mapping, locally: per shard and in order, batches of records go to the
 * invoker with Lambda's batching, retry, bisect, partial-failure, record-age and
 * parallelization rules; what cannot be processed goes to the failure sink; the checkpoint
 * advances over the contiguous prefix of handled (or filtered, or given-up) records.
 */
export class ReplayEngine {
  readonly stats: EngineStats = {
    received: 0, filtered: 0, succeeded: 0, invocations: 0, functionErrors: 0, retries: 0, bisects: 0,
    failedRecords: 0, failedBatches: 0, caughtUp: false,
  };
  private readonly shards = new Map<string, Shard>();
  private readonly now: () => number;
  private readonly maxBuffered: number;
  private pending = 0;
  private accepted = 0;
  private inflight = 0;
  private sourceDone = false;
  private stopped = false;
  private fatal: { error: unknown } | undefined;
  private readonly waiters = new Waiters();
  private readonly saves: SaveQueue | undefined;

  constructor(private readonly options: EngineOptions) {
    this.now = options.now ?? Date.now;
    this.saves = options.checkpoint ? new SaveQueue(options.checkpoint, (error) => this.fail(error)) : undefined;
    this.maxBuffered = options.maxBufferedRecords ??
      Math.max(10_000, options.batchSize * options.parallelizationFactor * 2);
  }

  /** Runs until the source ends and every record is handled, or until the signal aborts. */
  async run(source: AsyncIterable<ReplayPage>): Promise<EngineStats> {
    const { signal } = this.options;
    const onAbort = (): void => this.stop();
    if (signal?.aborted) this.stop();
    signal?.addEventListener('abort', onAbort, { once: true });
    const aborted = new Promise<'aborted'>((resolve) => this.untilStopped(() => resolve('aborted')));
    const iterator = source[Symbol.asyncIterator]();
    try {
      while (!this.stopped && !this.limitReached()) {
        await this.waitFor(() => this.pending < this.maxBuffered || this.stopped);
        if (this.stopped) break;
        const next = await Promise.race([iterator.next(), aborted]);
        if (next === 'aborted' || next.done) break;
        this.ingest(next.value);
      }
      this.sourceDone = true;
      this.pumpAll();
      await this.waitFor(() => this.idle() || this.stopped);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (this.stopped) void iterator.return?.();
      this.stopTimers();
      await this.saves?.flush();
    }
    if (this.fatal) throw this.fatal.error;
    this.stats.caughtUp = this.computeCaughtUp();
    return this.stats;
  }

  private limitReached(): boolean {
    return this.options.maxRecords !== undefined && this.accepted >= this.options.maxRecords;
  }

  private ingest(page: ReplayPage): void {
    let shard = this.shards.get(page.shardId);
    if (!shard) {
      shard = {
        id: page.shardId, entries: [], head: 0, ended: false, caughtUp: false,
        lanes: Array.from({ length: this.options.parallelizationFactor }, () => ({ queue: [], queueBytes: 0, units: [], busy: false })),
      };
      this.shards.set(page.shardId, shard);
    }
    const now = this.now();
    let end = page.end;
    let truncated = false;
    let lastSequence: string | undefined;
    for (const record of page.records) {
      if (this.limitReached()) {
        end = false;
        truncated = true;
        break;
      }
      this.stats.received++;
      lastSequence = record.dynamodb.SequenceNumber;
      if (this.options.filter && !this.options.filter(record)) {
        shard.entries.push({ sequence: lastSequence, bytes: 0, done: true });
        this.stats.filtered++;
        continue;
      }
      const json = JSON.stringify(record);
      const entry: RecordEntry = {
        sequence: lastSequence, json, bytes: Buffer.byteLength(json) + 1, done: false,
        timeMs: record.dynamodb.ApproximateCreationDateTime * 1000, streamArn: record.eventSourceARN,
      };
      shard.entries.push(entry);
      this.pending++;
      this.accepted++;
      const lane = shard.lanes[laneOf(record, shard.lanes.length)]!;
      if (lane.queue.length === 0) lane.windowStart = now;
      lane.queue.push(entry);
      lane.queueBytes += entry.bytes;
    }
    if (!truncated) {
      this.stats.received += page.skipped ?? 0;
      this.stats.filtered += page.skipped ?? 0;
      if (page.through !== undefined && page.through !== lastSequence) {
        shard.entries.push({ sequence: page.through, bytes: 0, done: true });
      }
    }
    if (page.caughtUp !== undefined) {
      shard.caughtUp = page.caughtUp;
      this.stats.caughtUp = this.computeCaughtUp();
    }
    if (end) shard.ended = true;
    this.advance(shard);
    for (const lane of shard.lanes) this.pumpLane(shard, lane);
  }

  private pumpAll(): void {
    for (const shard of [...this.shards.values()]) {
      for (const lane of shard.lanes) this.pumpLane(shard, lane);
      this.maybeFinish(shard);
    }
  }

  private batchReady(shard: Shard, lane: Lane): boolean {
    const { batchSize, batchWindowMs } = this.options;
    return lane.queue.length >= batchSize || lane.queueBytes + ENVELOPE_BYTES >= MAX_PAYLOAD_BYTES ||
      batchWindowMs === 0 || shard.ended || this.sourceDone || this.pending >= this.maxBuffered ||
      this.now() - (lane.windowStart ?? 0) >= batchWindowMs;
  }

  private pumpLane(shard: Shard, lane: Lane): void {
    if (this.stopped || lane.busy) return;
    let unit = lane.units.shift();
    if (!unit) {
      if (lane.queue.length === 0) return;
      if (!this.batchReady(shard, lane)) {
        if (!lane.timer) {
          const wait = Math.max(0, (lane.windowStart ?? this.now()) + this.options.batchWindowMs - this.now());
          lane.timer = setTimeout(() => {
            lane.timer = undefined;
            this.pumpLane(shard, lane);
          }, wait);
        }
        return;
      }
      unit = this.takeBatch(lane);
    }
    if (lane.timer) {
      clearTimeout(lane.timer);
      lane.timer = undefined;
    }
    lane.busy = true;
    this.inflight++;
    this.runUnit(shard, lane, unit)
      .catch((error: unknown) => this.fail(error))
      .finally(() => {
        lane.busy = false;
        this.inflight--;
        this.pumpLane(shard, lane);
        this.maybeFinish(shard);
        this.notify();
      });
  }

  private takeBatch(lane: Lane): Unit {
    let count = 0;
    let bytes = ENVELOPE_BYTES;
    while (count < lane.queue.length && count < this.options.batchSize) {
      const next = lane.queue[count]!;
      if (count > 0 && bytes + next.bytes > MAX_PAYLOAD_BYTES) break;
      bytes += next.bytes;
      count++;
    }
    const entries = lane.queue.splice(0, count);
    lane.queueBytes -= bytes - ENVELOPE_BYTES;
    lane.windowStart = lane.queue.length > 0 ? this.now() : undefined;
    return { entries, retries: 0, invokeCount: 0 };
  }

  private async runUnit(shard: Shard, lane: Lane, unit: Unit): Promise<void> {
    const { maxRetries, maxRecordAgeMs, reportBatchItemFailures, bisectOnError } = this.options;
    let current = unit;
    for (;;) {
      if (this.stopped) return;
      if (maxRecordAgeMs >= 0) {
        const now = this.now();
        const expired = new Set(current.entries.filter(
          (entry) => now - entry.timeMs > maxRecordAgeMs,
        ));
        if (expired.size > 0) {
          await this.giveUp(shard, { ...current, entries: [...expired] }, 'RecordAgeExceeded');
          current = { ...current, entries: current.entries.filter((entry) => !expired.has(entry)) };
          if (current.entries.length === 0) return;
        }
      }
      const requestId = randomUUID();
      current.requestId = requestId;
      current.invokeCount++;
      this.stats.invocations++;
      const payload = `{"Records":[${current.entries.map((entry) => entry.json).join(',')}]}`;
      const entries = current.entries;
      const outcome = await this.options.invoke({
        requestId,
        shardId: shard.id,
        streamArn: entries[0]!.streamArn,
        payload,
        get event() {
          return { Records: entries.map(recordOf) };
        },
      });
      if (this.stopped) return;

      let failed: Failure;
      if (outcome.ok) {
        const verdict = reportBatchItemFailures
          ? judgeBatchResponse(outcome.response, entries.map((entry) => entry.sequence))
          : { kind: 'success' as const };
        if (verdict.kind === 'success') {
          this.complete(shard, current.entries);
          return;
        }
        current.last = { functionError: false };
        if (verdict.kind === 'partial') {
          this.complete(shard, current.entries.slice(0, verdict.index));
          current = { ...current, entries: current.entries.slice(verdict.index) };
          failed = { reason: 'partial', succeeded: verdict.index };
        } else {
          failed = { reason: 'invalid-response', detail: verdict.reason };
        }
      } else {
        this.stats.functionErrors++;
        current.last = { functionError: true, error: outcome.error };
        failed = { reason: 'function-error', error: outcome.error, ...(outcome.crash ? { crash: outcome.crash } : {}) };
        if (bisectOnError && current.entries.length > 1) {
          // Splitting does not use up a retry: a poison record ends up alone.
          this.stats.bisects++;
          this.emitFailure(shard, current, failed, 'bisect');
          const middle = Math.ceil(current.entries.length / 2);
          lane.units.unshift(
            { ...current, entries: current.entries.slice(0, middle) },
            { ...current, entries: current.entries.slice(middle) },
          );
          return;
        }
      }
      current.retries++;
      const exhausted = maxRetries >= 0 && current.retries > maxRetries;
      this.emitFailure(shard, current, failed, exhausted ? 'give-up' : 'retry');
      if (exhausted) {
        await this.giveUp(shard, current, 'RetryAttemptsExhausted');
        return;
      }
      this.stats.retries++;
      await this.sleep((this.options.retryDelayMs ?? defaultRetryDelay)(current.retries));
    }
  }

  private emitFailure(shard: Shard, unit: Unit, failure: Failure, next: BatchFailedEvent['next']): void {
    this.options.onEvent?.({
      type: 'batch-failed',
      shardId: shard.id,
      ...failure,
      records: unit.entries.length,
      firstSequence: unit.entries[0]!.sequence,
      lastSequence: unit.entries[unit.entries.length - 1]!.sequence,
      retries: unit.retries,
      maxRetries: this.options.maxRetries,
      next,
    });
  }

  private complete(shard: Shard, entries: RecordEntry[]): void {
    for (const entry of entries) {
      entry.done = true;
      this.pending--;
      this.stats.succeeded++;
      const time = entry.timeMs;
      if (this.stats.lastRecordTime === undefined || time > this.stats.lastRecordTime) this.stats.lastRecordTime = time;
    }
    if (this.pending === 0) this.stats.caughtUp = this.computeCaughtUp();
    this.advance(shard);
  }

  private async giveUp(shard: Shard, unit: Unit, condition: FailureCondition): Promise<void> {
    const records = unit.entries.map(recordOf);
    const line = buildFailureLine({
      condition,
      requestId: unit.requestId ?? randomUUID(),
      functionArn: this.options.functionArn(records[0]!.eventSourceARN),
      invokeCount: unit.invokeCount,
      shardId: shard.id,
      records,
      ...(unit.last ? { lastOutcome: unit.last } : {}),
      now: this.now(),
    });
    await this.options.onFailure?.(line);
    this.stats.failedRecords += records.length;
    this.stats.failedBatches++;
    this.options.onEvent?.({
      type: 'discarded', condition, shardId: shard.id, records: records.length,
      firstSequence: line.DDBStreamBatchInfo.startSequenceNumber, lastSequence: line.DDBStreamBatchInfo.endSequenceNumber,
      attempts: unit.invokeCount,
      ...(unit.last?.error ? { error: unit.last.error } : {}),
    });
    for (const entry of unit.entries) {
      entry.done = true;
      this.pending--;
    }
    this.advance(shard);
  }

  /** Moves the checkpoint over the contiguous prefix of handled records. */
  private advance(shard: Shard): void {
    let last: Entry | undefined;
    while (shard.head < shard.entries.length && shard.entries[shard.head]!.done) {
      last = shard.entries[shard.head]!;
      shard.head++;
    }
    if (shard.head > 1024 && shard.head * 2 > shard.entries.length) {
      shard.entries.splice(0, shard.head);
      shard.head = 0;
    }
    if (last && this.options.checkpoint) {
      this.options.checkpoint.advance(shard.id, last.sequence);
      this.saves?.request();
    }
    this.notify();
  }

  private maybeFinish(shard: Shard): void {
    if (!shard.ended || this.stopped || shard.head < shard.entries.length) return;
    if (shard.lanes.some((lane) => lane.busy || lane.queue.length > 0 || lane.units.length > 0)) return;
    this.shards.delete(shard.id);
    this.options.checkpoint?.finish(shard.id);
    this.saves?.request();
    this.options.onEvent?.({ type: 'shard-end', shardId: shard.id });
  }

  private idle(): boolean {
    if (this.inflight > 0) return false;
    for (const shard of this.shards.values()) {
      if (shard.lanes.some((lane) => lane.queue.length > 0 || lane.units.length > 0)) return false;
    }
    return true;
  }

  private computeCaughtUp(): boolean {
    return this.pending === 0 && [...this.shards.values()].every((shard) => shard.caughtUp);
  }

  private fail(error: unknown): void {
    if (!this.fatal) this.fatal = { error };
    this.stop();
  }

  private stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.stopTimers();
    this.notify();
  }

  private stopTimers(): void {
    for (const shard of this.shards.values()) {
      for (const lane of shard.lanes) {
        if (lane.timer) clearTimeout(lane.timer);
        lane.timer = undefined;
      }
    }
  }

  private notify(): void {
    this.waiters.notify();
  }

  private waitFor(condition: () => boolean): Promise<void> {
    return this.waiters.until(condition);
  }

  private untilStopped(callback: () => void): void {
    void this.waitFor(() => this.stopped).then(callback);
  }

  private sleep(ms: number): Promise<void> {
    return this.waiters.sleep(ms, () => this.stopped);
  }
}
