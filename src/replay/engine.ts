import { randomUUID } from 'node:crypto';
import type {
  BatchFailedEvent, CheckpointSink, EngineEvent, EngineStats, FailureSink, InvokeOutcome, Invoker, RecordFilter, ReplayPage,
} from './engine-types.js';
import type { LambdaStreamRecord } from '../records/lambda-record.js';
import { buildFailureLine, type FailureCondition } from './failure-record.js';
import { eventPayload } from './event-envelope.js';
import { entryOf, recordOf, type Lane, type RecordEntry, type Unit } from './lane.js';
import { defaultRetryDelay, nextStep, pastMaxRecordAge, type AttemptFailure } from './next-step.js';
import type { EventShape, MappingSettings } from './options.js';
import { SaveQueue } from './save-queue.js';
import { ShardState } from './shard-state.js';
import { ShardWindows } from './shard-windows.js';
import { Waiters } from './waiters.js';

export interface EngineOptions extends Omit<MappingSettings, 'timeoutMs' | 'memoryMb' | 'eventShape' | 'tumblingWindowSeconds'> {
  /** Lambda's `{Records}` (the default) or a Pipe's bare array. */
  eventShape?: EventShape;
  /** Tumbling windows of this many seconds; 0 or absent: none. */
  tumblingWindowSeconds?: number;
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
  /** Each record taken for the handler (after filters and `maxRecords`), as it is taken: for `--stats`. */
  onRecord?: (shardId: string, record: LambdaStreamRecord) => void;
}

/**
 * The event source mapping, locally: per shard and in order, batches of records go to the
 * invoker with Lambda's batching, retry, bisect, partial-failure, record-age and
 * parallelization rules; what cannot be processed goes to the failure sink; the checkpoint
 * advances over the contiguous prefix of handled (or filtered, or given-up) records.
 *
 * This class only orchestrates: what follows an attempt is `nextStep`, where the checkpoint
 * may stand is `ContiguousCheckpoint`, and how records form batches is `Lane`.
 */
export class ReplayEngine {
  readonly stats: EngineStats = {
    received: 0, filtered: 0, succeeded: 0, invocations: 0, functionErrors: 0, retries: 0, bisects: 0,
    failedRecords: 0, failedBatches: 0, caughtUp: false,
  };
  private readonly shards = new Map<string, ShardState>();
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
  private readonly windows: ShardWindows;

  constructor(private readonly options: EngineOptions) {
    this.now = options.now ?? Date.now;
    this.windows = new ShardWindows((options.tumblingWindowSeconds ?? 0) * 1000);
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
    const iterator = source[Symbol.asyncIterator]();
    try {
      while (!this.stopped && !this.limitReached()) {
        await this.waiters.until(() => this.pending < this.maxBuffered || this.stopped);
        if (this.stopped) break;
        const next = await this.waiters.next(iterator, () => this.stopped);
        if (next === 'stopped' || next.done) break;
        this.ingest(next.value);
      }
      this.sourceDone = true;
      this.pumpAll();
      await this.waiters.until(() => this.idle() || this.stopped);
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
      shard = new ShardState(page.shardId, this.options.parallelizationFactor);
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
        shard.progress.skip(lastSequence);
        this.stats.filtered++;
        continue;
      }
      const entry = entryOf(record);
      shard.progress.add(entry);
      this.pending++;
      this.accepted++;
      this.options.onRecord?.(page.shardId, record);
      shard.laneFor(record).push(entry, now);
    }
    if (!truncated) {
      this.stats.received += page.skipped ?? 0;
      this.stats.filtered += page.skipped ?? 0;
      if (page.through !== undefined && page.through !== lastSequence) {
        shard.progress.skip(page.through);
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

  private batchReady(shard: ShardState, lane: Lane): boolean {
    const { batchSize, batchWindowMs } = this.options;
    return lane.full(batchSize) || batchWindowMs === 0 || this.windows.of(shard)?.runClosed(lane.peek()) || shard.ended || this.sourceDone || this.pending >= this.maxBuffered ||
      this.now() - (lane.windowStart ?? 0) >= batchWindowMs;
  }

  private pumpLane(shard: ShardState, lane: Lane): void {
    if (this.stopped || lane.busy) return;
    let unit = lane.units.shift() ?? this.windows.finalUnit(shard, lane, this.sourceDone, this.now());
    if (!unit) {
      if (lane.queued === 0) return this.windows.awaitEnd(shard, this.now(), () => this.pumpLane(shard, lane));
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
      const window = this.windows.of(shard);
      unit = lane.take(window ? window.batchLimit(lane.peek(), this.options.batchSize) : this.options.batchSize, this.now());
    }
    lane.stopTimer();
    lane.busy = true;
    this.inflight++;
    this.runUnit(shard, lane, unit)
      // The checkpoint is on disk before the lane's next batch starts, as Lambda checkpoints
      // before it moves on: after a crash, only the batches in flight are delivered again.
      .then(() => this.saves?.flush())
      .catch((error: unknown) => this.fail(error))
      .finally(() => {
        lane.busy = false;
        this.inflight--;
        this.pumpLane(shard, lane);
        this.maybeFinish(shard);
        this.waiters.notify();
      });
  }

  private async runUnit(shard: ShardState, lane: Lane, unit: Unit): Promise<void> {
    let current = unit;
    for (;;) {
      if (this.stopped) return;
      current = await this.dropExpired(shard, current);
      if (current.entries.length === 0 && !current.final) return;
      const window = this.windows.of(shard);
      if (window && !current.final) window.open(current.entries[0]!);
      const answer = await this.invoke(shard, current);
      if (this.stopped) return;
      const outcome = window ? window.judge(answer) : answer;
      if (!outcome.ok) this.stats.functionErrors++;
      const sequences = current.entries.map((entry) => entry.sequence);
      const step = nextStep(outcome, { sequences, retries: current.retries }, this.options);
      if (step.kind === 'done') {
        window?.commitState();
        this.complete(shard, current.entries);
        if (current.final) this.closeWindow(shard);
        return;
      }
      current.last = outcome.ok ? { functionError: false } : { functionError: true, error: outcome.error };
      if (step.kind === 'split') {
        this.stats.bisects++;
        this.emitFailure(shard, current, step.failure, 'bisect');
        lane.units.unshift(
          { ...current, entries: current.entries.slice(0, step.at) },
          { ...current, entries: current.entries.slice(step.at) },
        );
        return;
      }
      if (step.from > 0) {
        window?.commitState();
        this.complete(shard, current.entries.slice(0, step.from));
        current = { ...current, entries: current.entries.slice(step.from) };
      }
      current.retries = step.retries;
      this.emitFailure(shard, current, step.failure, step.kind);
      if (step.kind === 'give-up') {
        if (current.final) this.closeWindow(shard);
        else await this.giveUp(shard, current, 'RetryAttemptsExhausted');
        return;
      }
      this.stats.retries++;
      await this.sleep((this.options.retryDelayMs ?? defaultRetryDelay)(current.retries));
    }
  }

  /** Sends the unit's records past --max-record-age to the failure sink; the rest go on. */
  private async dropExpired(shard: ShardState, unit: Unit): Promise<Unit> {
    if (this.options.maxRecordAgeMs < 0) return unit;
    const expired = pastMaxRecordAge(unit.entries.map((entry) => entry.timeMs), this.now(), this.options.maxRecordAgeMs);
    if (!expired.includes(true)) return unit;
    await this.giveUp(shard, { ...unit, entries: unit.entries.filter((_, i) => expired[i]) }, 'RecordAgeExceeded');
    return { ...unit, entries: unit.entries.filter((_, i) => !expired[i]) };
  }

  private invoke(shard: ShardState, unit: Unit): Promise<InvokeOutcome> {
    const requestId = randomUUID();
    unit.requestId = requestId;
    unit.invokeCount++;
    this.stats.invocations++;
    const entries = unit.entries;
    const window = this.windows.of(shard);
    return this.options.invoke({
      requestId,
      shardId: shard.id,
      streamArn: entries[0]?.streamArn ?? window!.streamArn,
      payload: eventPayload(entries, this.options.eventShape, window?.fields(shard.id, window.streamArn, Boolean(unit.final))),
      get event() {
        return { Records: entries.map(recordOf) };
      },
    });
  }

  private emitFailure(shard: ShardState, unit: Unit, failure: AttemptFailure, next: BatchFailedEvent['next']): void {
    this.options.onEvent?.({
      type: 'batch-failed',
      shardId: shard.id,
      ...failure,
      records: unit.entries.length,
      firstSequence: unit.entries[0]?.sequence ?? '',
      lastSequence: unit.entries[unit.entries.length - 1]?.sequence ?? '',
      ...(unit.final ? { finalInvoke: this.windows.of(shard)!.fields(shard.id, '', true).window } : {}),
      retries: unit.retries,
      maxRetries: this.options.maxRetries,
      next,
    });
  }

  private complete(shard: ShardState, entries: RecordEntry[]): void {
    // In a tumbling window, the checkpoint passes records once the window's final invocation succeeds.
    const held = this.windows.of(shard)?.held;
    for (const entry of entries) {
      if (held) held.push(entry);
      else entry.done = true;
      this.pending--;
      this.stats.succeeded++;
      const time = entry.timeMs;
      if (this.stats.lastRecordTime === undefined || time > this.stats.lastRecordTime) this.stats.lastRecordTime = time;
    }
    if (this.pending === 0) this.stats.caughtUp = this.computeCaughtUp();
    this.advance(shard);
  }

  private async giveUp(shard: ShardState, unit: Unit, condition: FailureCondition): Promise<void> {
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
  private advance(shard: ShardState): void {
    const through = shard.progress.advance();
    if (through !== undefined && this.options.checkpoint) {
      this.options.checkpoint.advance(shard.id, through);
      this.saves?.request();
    }
    this.waiters.notify();
  }

  private maybeFinish(shard: ShardState): void {
    if (this.stopped || !shard.finished) return;
    this.shards.delete(shard.id);
    this.options.checkpoint?.finish(shard.id);
    this.saves?.request();
    this.options.onEvent?.({ type: 'shard-end', shardId: shard.id });
  }

  private idle(): boolean {
    if (this.inflight > 0) return false;
    return ![...this.shards.values()].some((shard) => shard.waiting);
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
    this.waiters.notify();
  }

  private stopTimers(): void {
    for (const shard of this.shards.values()) shard.stopTimers();
    this.windows.stopTimers();
  }

  /** The final invocation is done or given up on: the state goes, the checkpoint may pass the window's records. */
  private closeWindow(shard: ShardState): void {
    for (const entry of this.windows.of(shard)!.close()) entry.done = true;
    this.advance(shard);
  }

  private sleep(ms: number): Promise<void> {
    return this.waiters.sleep(ms, () => this.stopped);
  }
}
