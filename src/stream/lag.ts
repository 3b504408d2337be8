import type { ReaderEvent, ShardBatch } from './types.js';

/** What the lag of one shard is computed from. */
interface ShardLagState {
  /** ApproximateCreationDateTime (ms) of the last record taken from the shard. */
  lastRecordTime?: number;
  lastSequenceNumber?: string;
  atTip: boolean;
  /** The reader found the tip after this record; the consumer is there once it has taken it. */
  tipAfter?: string;
}

/** The pages and notices of a reader that lag needs: its shard, its records, whether it ended or was short. */
export type LagPage = Pick<ShardBatch, 'shardId' | 'records' | 'end' | 'caughtUp'>;

/**
 * How far behind the consumer is, the way the KCL's millisBehindLatest and Lambda's IteratorAge
 * put it: for each shard, now minus the creation time of the last record taken from it, zero
 * when the shard is at its tip; the largest over shards. Fed with the pages as the consumer takes
 * them (not as the reader prefetches them) and with the reader's events, so it lags with the
 * consumer. Pure data: it never prints.
 */
export class StreamLag {
  private readonly shards = new Map<string, ShardLagState>();
  private largest = 0;
  private known = false;

  constructor(private readonly now: () => number = Date.now) {}

  /** A page the consumer has taken (all its records, whatever the filters kept). */
  observe(page: LagPage): void {
    this.known = true;
    if (page.end) {
      // A finished shard has nothing left to be behind on.
      this.shards.delete(page.shardId);
      return;
    }
    const state = this.state(page.shardId);
    const last = page.records[page.records.length - 1];
    if (last) {
      state.lastRecordTime = last.time.getTime();
      state.lastSequenceNumber = last.sequenceNumber;
    }
    state.atTip = page.caughtUp || (state.tipAfter !== undefined && state.tipAfter === state.lastSequenceNumber);
    if (state.atTip) state.tipAfter = undefined;
    this.largestNow();
  }

  /** The reader's notices: a shard at its tip, a shard finished. Others are ignored. */
  onEvent(event: ReaderEvent): void {
    if (event.type === 'shard-end') {
      this.shards.delete(event.shardId);
      return;
    }
    if (event.type !== 'shard-tip') return;
    this.known = true;
    const state = this.state(event.shardId);
    if (event.through === state.lastSequenceNumber) {
      state.atTip = true;
      state.tipAfter = undefined;
    } else {
      // Pages of this shard are still on their way to the consumer.
      state.tipAfter = event.through;
    }
  }

  /** The largest lag over shards now, in ms; 0 when every shard is at its tip; undefined before anything is known. */
  behindMs(): number | undefined {
    if (!this.known) return undefined;
    return this.largestNow();
  }

  /** The largest lag seen so far, in ms. */
  get largestMs(): number {
    this.largestNow();
    return this.largest;
  }

  private largestNow(): number {
    const now = this.now();
    let behind = 0;
    for (const state of this.shards.values()) {
      if (state.atTip || state.lastRecordTime === undefined) continue;
      behind = Math.max(behind, now - state.lastRecordTime);
    }
    this.largest = Math.max(this.largest, behind);
    return behind;
  }

  private state(shardId: string): ShardLagState {
    let state = this.shards.get(shardId);
    if (!state) {
      state = { atTip: false };
      this.shards.set(shardId, state);
    }
    return state;
  }
}
