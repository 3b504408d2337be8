/**
 * One lease of a consumer group: the Kinesis Client Library's model, one per shard. The KCL's
 * attribute names are kept so that a group's table reads like any KCL application's.
 */
export interface Lease {
  /** The shard id. */
  leaseKey: string;
  /** The worker holding it; absent when the lease is free. */
  leaseOwner?: string;
  /** Bumped by every take, renewal and checkpoint: a counter that stops moving means a dead owner. */
  leaseCounter: number;
  /** `TRIM_HORIZON`, `LATEST`, `SHARD_END`, or the last sequence number handled. */
  checkpoint: string;
  checkpointSubSequenceNumber: number;
  ownerSwitchesSinceCheckpoint: number;
  parentShardIds: string[];
  /** Our own: the stream whose shard this is (absent in tables KCL wrote). */
  streamArn?: string;
  /** Our own: a start at a sequence number, before the first checkpoint (`--from SEQUENCE`). */
  startAt?: string;
  /**
   * Our own: when (epoch ms) a run without --follow read this open shard to its tip and its
   * checkpoint reached what it read. Runs that began before then count the shard as done.
   */
  readToTipAt?: number;
  /**
   * Our own: a worker short of its share asks the owner for this lease. The owner stops reading
   * it, checkpoints what it delivered, and hands the lease over: no record is delivered twice.
   */
  handoffTo?: string;
  /** Our own: when (epoch ms, the owner's clock) the owner last wrote the lease; for people reading the table. */
  renewedAt?: number;
  /** Our own, on a backfill's scan item only: when the group's scan began (ISO 8601). */
  scanStartedAt?: string;
  /** Our own, on a backfill's scan item only: the number of segments the group scans in. */
  scanSegments?: number;
}

export const SHARD_END = 'SHARD_END';
export const TRIM_HORIZON = 'TRIM_HORIZON';
export const LATEST = 'LATEST';

/** What a lease looks like to people: its owner reads it, it waits for one, or it is done. */
export type LeaseState = 'held' | 'expired' | 'finished' | 'free';

export function isFinished(lease: Pick<Lease, 'checkpoint'>): boolean {
  return lease.checkpoint === SHARD_END;
}

/** A checkpoint that is a record's sequence number (not one of KCL's named positions). */
export function isSequenceCheckpoint(checkpoint: string): boolean {
  return /^\d{1,40}$/.test(checkpoint);
}

/**
 * The state of a lease. `expired` needs time: a lease is expired when its counter has not moved
 * for the lease duration, as seen by whoever watches it (clocks of two machines are never compared).
 */
export function leaseState(lease: Lease, expired: boolean): LeaseState {
  if (isFinished(lease)) return 'finished';
  if (!lease.leaseOwner) return 'free';
  return expired ? 'expired' : 'held';
}

/**
 * Whether a checkpoint has come as far as a sequence number, or (a backfill's segment, whose
 * positions do not compare) is the very position awaited.
 */
export function reached(checkpoint: string | undefined, sequenceNumber: string): boolean {
  if (checkpoint === SHARD_END || checkpoint === sequenceNumber) return true;
  if (checkpoint === undefined || !isSequenceCheckpoint(checkpoint)) return false;
  return BigInt(checkpoint) >= BigInt(sequenceNumber);
}
