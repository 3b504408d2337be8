export interface CallLogEntry {
  /** Arrival order, from 1. */
  seq: number;
  action: string;
  /** The request body as sent. */
  params: Record<string, unknown>;
  /** The fake's clock (epoch ms) at arrival and when the answer (or reset) went out. */
  startedAt: number;
  endedAt?: number;
  streamArn?: string;
  /** For GetShardIterator and GetRecords (decoded from the iterator). */
  shardId?: string;
  /** GetRecords in flight on this shard when this one arrived, itself included. */
  concurrentOnShard?: number;
  /** 'ok', an exception name, or 'reset'. */
  outcome: string;
  /** GetRecords: records returned, and whether this page ended a closed shard (no NextShardIterator). */
  records?: number;
  shardEnd?: boolean;
}

export interface CallFilter {
  action?: string;
  shardId?: string;
  streamArn?: string;
  outcome?: string;
}

/** Every call the fake received, for asserting how a client behaved. */
export class CallLog {
  private list: CallLogEntry[] = [];
  private nextSeq = 1;

  constructor(
    private readonly limit = Infinity,
    private readonly now: () => number = Date.now,
  ) {}

  start(entry: Omit<CallLogEntry, 'seq' | 'outcome'>): CallLogEntry {
    const full: CallLogEntry = { ...entry, seq: this.nextSeq++, outcome: 'pending' };
    this.list.push(full);
    // Long benchmark runs keep only the most recent calls.
    if (this.list.length > this.limit) this.list.splice(0, this.list.length - this.limit);
    return full;
  }

  entries(filter: CallFilter = {}): CallLogEntry[] {
    return this.list.filter((e) =>
      (filter.action === undefined || e.action === filter.action) &&
      (filter.shardId === undefined || e.shardId === filter.shardId) &&
      (filter.streamArn === undefined || e.streamArn === filter.streamArn) &&
      (filter.outcome === undefined || e.outcome === filter.outcome));
  }

  count(filter: CallFilter = {}): number {
    return this.entries(filter).length;
  }

  /** Highest number of GetRecords at once on one shard (or on any shard). */
  maxConcurrentReaders(shardId?: string): number {
    return this.entries({ action: 'GetRecords', shardId }).reduce((m, e) => Math.max(m, e.concurrentOnShard ?? 0), 0);
  }

  /** Matching calls that arrived since `sinceMs` (the fake's clock), per second up to now. */
  callsPerSecond(filter: CallFilter, sinceMs: number): number {
    const seconds = Math.max(this.now() - sinceMs, 1) / 1000;
    return this.entries(filter).filter((e) => e.startedAt >= sinceMs).length / seconds;
  }

  clear(): void {
    this.list = [];
  }
}
