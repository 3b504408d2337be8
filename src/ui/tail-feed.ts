import type { StreamRecord } from '../records/record.js';
import type { ReaderEvent } from '../stream/types.js';
import { LogQueue, type DropReason } from './log-queue.js';

/**
 * A page of records as the view needs it: the reader's ShardBatch, or a page after the shared
 * reading rules (filters, -n) have been applied.
 */
export interface FeedBatch {
  records: StreamRecord[];
}

/** One stream among several, as the status area shows it. */
export interface FeedStream {
  /** The stream's table. */
  name: string;
  records: number;
  shards?: { total: number; open: number; closed: number };
  shardsReading: number;
  /** How far behind its reader is (ms); absent before it is known. */
  lagMs?: number;
}

/** What the view reads: the reader's pages, and its progress notices when it offers them. */
export interface FeedSource {
  batches: AsyncIterable<FeedBatch>;
  /** Registers a listener for reader events; returns the function that removes it. */
  subscribe?: (listener: (event: ReaderEvent) => void) => () => void;
  /** How far behind the stream the reader is now (ms, the largest over shards), when known. */
  lag?: () => number | undefined;
  /** Several streams: each one's counts and lag as of now, in the order they were given. */
  streams?: () => readonly FeedStream[];
}

/** Everything the status area shows, as plain values: a new object only when something changed. */
export interface FeedStatus {
  seen: number;
  perSecond: number;
  shards?: { total: number; open: number; closed: number };
  shardsReading: number;
  caughtUp: boolean;
  /** The reader's lag behind the stream (ms, the largest over shards); absent before it is known. */
  lagMs?: number;
  /** Several streams: each one's counts and lag. */
  streams?: readonly FeedStream[];
  backoff?: { reason: string; delayMs: number; attempt: number };
  paused: boolean;
  /** Records received and not yet written to the log (the pause buffer while paused). */
  queued: number;
  /** Records dropped during the current pause, not yet marked in the log. */
  droppedWhilePaused: number;
  /** How long the oldest queued entry has waited, when that is more than `BEHIND_AFTER_MS`; else 0. */
  behindMs: number;
  /** Records dropped since the start because the terminal could not keep up. */
  droppedBehind: number;
  done: boolean;
  error?: unknown;
}

/** records/s is averaged over this window, so a burst does not flash a huge number for one frame. */
export const RATE_WINDOW_MS = 5_000;
/** Records held while paused or while the terminal is behind; older ones are dropped beyond it. */
export const DEFAULT_MAX_QUEUED = 5_000;
/** A queue this old is no longer a moment's delay: the status area says how far behind the log is. */
export const BEHIND_AFTER_MS = 2_000;

/**
 * The interactive view's state outside React: counts and reader state for the status area, and
 * the queue of entries waiting for the terminal. Records are counted as they arrive (also while
 * paused, so the reader keeps its pace and its counts) and wait in one bounded queue, which is the
 * pause buffer while paused.
 */
export class TailFeed {
  readonly queue: LogQueue;
  private seen = 0;
  private samples: { at: number; count: number }[] = [];
  private readonly startedAt: number;
  private shards?: FeedStatus['shards'];
  private shardsReading = 0;
  private caughtUp = false;
  private backoff?: FeedStatus['backoff'];
  private paused = false;
  private droppedBehind = 0;
  private done = false;
  private error?: unknown;
  private last?: FeedStatus;

  constructor(
    private readonly now: () => number,
    maxQueued = DEFAULT_MAX_QUEUED,
    private readonly lag: () => number | undefined = () => undefined,
    private readonly streams: () => readonly FeedStream[] | undefined = () => undefined,
  ) {
    this.queue = new LogQueue(maxQueued);
    this.startedAt = now();
  }

  get isPaused(): boolean {
    return this.paused;
  }

  addBatch(records: readonly StreamRecord[]): void {
    if (records.length === 0) return;
    const receivedAt = this.now();
    this.seen += records.length;
    this.samples.push({ at: receivedAt, count: records.length });
    let dropped = 0;
    for (const record of records) dropped += this.queue.push({ kind: 'record', record, receivedAt }, this.dropReason());
    if (!this.paused) this.droppedBehind += dropped;
  }

  onReaderEvent(event: ReaderEvent): void {
    switch (event.type) {
      case 'describe':
        this.shards = { total: event.shards, open: event.open, closed: event.closed };
        return;
      case 'shard-start':
        this.shardsReading++;
        return;
      case 'shard-end':
        this.shardsReading = Math.max(0, this.shardsReading - 1);
        return;
      case 'caught-up':
        this.caughtUp = true;
        return;
      case 'backoff':
        this.backoff = { reason: event.reason, delayMs: event.delayMs, attempt: event.attempt };
        return;
      case 'recovered':
        this.backoff = undefined;
        return;
      case 'iterator-expired':
        return this.notice(`shard ${event.shardId}: iterator expired, resumed after the last record read`);
      case 'trimmed':
        return this.notice(`shard ${event.shardId}: ${event.message}`);
      case 'checkpoint-shard-missing':
        return this.notice(`shard ${event.shardId} from the checkpoint is no longer in the stream`);
    }
  }

  togglePause(): void {
    this.paused = !this.paused;
  }

  end(error?: unknown): void {
    this.done = true;
    if (error !== undefined) this.error = error;
  }

  /** The status as of now; the same object as last time when nothing shown has changed. */
  status(): FeedStatus {
    const now = this.now();
    const lagMs = this.lag();
    const streams = this.streams();
    const next: FeedStatus = {
      seen: this.seen,
      perSecond: this.rate(now),
      shards: this.shards,
      shardsReading: this.shardsReading,
      caughtUp: this.caughtUp,
      ...(lagMs !== undefined ? { lagMs } : {}),
      ...(streams ? { streams } : {}),
      backoff: this.backoff,
      paused: this.paused,
      queued: this.queue.recordCount,
      droppedWhilePaused: this.queue.pendingDrops('paused'),
      behindMs: this.behindMs(now),
      droppedBehind: this.droppedBehind,
      done: this.done,
      ...(this.error !== undefined ? { error: this.error } : {}),
    };
    if (this.last && sameStatus(this.last, next)) return this.last;
    this.last = next;
    return next;
  }

  private notice(text: string): void {
    // Notices are not records: they never count against the bound, and while paused they wait too.
    this.queue.push({ kind: 'notice', text, receivedAt: this.now() }, this.dropReason());
  }

  /** Records that do not fit while paused were dropped by the pause; while live, by a slow terminal. */
  private dropReason(): DropReason {
    return this.paused ? 'paused' : 'behind';
  }

  private rate(now: number): number {
    while (this.samples.length && this.samples[0]!.at <= now - RATE_WINDOW_MS) this.samples.shift();
    const span = Math.min(RATE_WINDOW_MS, Math.max(now - this.startedAt, 1_000));
    return (this.samples.reduce((sum, s) => sum + s.count, 0) * 1000) / span;
  }

  private behindMs(now: number): number {
    // While paused the log is meant to wait; only a live view can be behind.
    const oldest = this.paused ? undefined : this.queue.oldestReceivedAt();
    const waited = oldest === undefined ? 0 : now - oldest;
    return waited > BEHIND_AFTER_MS ? waited : 0;
  }
}

function sameStatus(a: FeedStatus, b: FeedStatus): boolean {
  return a.seen === b.seen && a.perSecond === b.perSecond && a.shards === b.shards && a.shardsReading === b.shardsReading &&
    a.caughtUp === b.caughtUp && sameLag(a.lagMs, b.lagMs) && sameStreams(a.streams, b.streams) && a.backoff === b.backoff && a.paused === b.paused && a.queued === b.queued &&
    a.droppedWhilePaused === b.droppedWhilePaused && Math.floor(a.behindMs / 1000) === Math.floor(b.behindMs / 1000) &&
    a.droppedBehind === b.droppedBehind && a.done === b.done && a.error === b.error;
}

/** Lag is shown to the second: a change within the same second is no reason to redraw. */
function sameLag(a: number | undefined, b: number | undefined): boolean {
  return a === undefined || b === undefined ? a === b : Math.floor(a / 1000) === Math.floor(b / 1000);
}

function sameStreams(a: readonly FeedStream[] | undefined, b: readonly FeedStream[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((x, i) => {
    const y = b[i]!;
    return x.name === y.name && x.records === y.records && x.shardsReading === y.shardsReading && sameLag(x.lagMs, y.lagMs) &&
      x.shards?.open === y.shards?.open && x.shards?.closed === y.shards?.closed;
  });
}
