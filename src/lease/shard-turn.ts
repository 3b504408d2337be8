import type { AssignableShard, ShardTurn } from '../stream/shard-assignment.js';
import { isFinished, isSequenceCheckpoint, LATEST, SHARD_END, TRIM_HORIZON, type Lease } from './lease.js';

/** What the group's run is: following, or reading to the end and then done. */
export interface RunView {
  follow: boolean;
  /** When this worker's run began (ms): a lease read to its tip since then is done for it. */
  startedAt: number;
}

/** A run without --follow has no more to do in this open shard: another worker read it to its tip since the run began. */
export function doneForRun(lease: Lease, run: RunView): boolean {
  return !run.follow && lease.readToTipAt !== undefined && lease.readToTipAt >= run.startedAt;
}

/** Lineages are shallow; the bound only guards against a table whose parents form a loop. */
const MAX_ANCESTORS = 64;

/** The lease, or one of its ancestors, is done for this run (and not finished): nothing below it is read in it. */
function stoppedForRun(lease: Lease, leases: ReadonlyMap<string, Lease>, run: RunView, depth = 0): boolean {
  if (isFinished(lease) || depth > MAX_ANCESTORS) return false;
  if (doneForRun(lease, run)) return true;
  return lease.parentShardIds.some((parentId) => {
    const parent = leases.get(parentId);
    return parent !== undefined && stoppedForRun(parent, leases, run, depth + 1);
  });
}

/**
 * Whether a shard may be read now, from the table as last seen: `wait` until the lease is ours
 * and every parent is finished (KCL: a child starts only once its parents' checkpoints are
 * SHARD_END; a parent that is no longer listed was trimmed, so it counts as finished).
 */
export function decideTurn(
  shard: AssignableShard,
  leases: ReadonlyMap<string, Lease>,
  held: boolean,
  run: RunView,
): ShardTurn | 'wait' {
  const lease = leases.get(shard.shardId);
  if (!lease) return 'wait';
  if (isFinished(lease) || doneForRun(lease, run)) return { read: false };
  const parents = new Set(lease.parentShardIds);
  if (shard.parentShardId) parents.add(shard.parentShardId);
  for (const parentId of parents) {
    const parent = leases.get(parentId);
    if (!parent) {
      if (parentId === shard.parentShardId && !shard.parentListed) continue; // trimmed: a root
      return 'wait';
    }
    if (isFinished(parent)) continue;
    // The parent (or an ancestor) stopped in this run, at its tip or at --until: its children
    // have nothing for this run; they wait for the next one.
    if (stoppedForRun(parent, leases, run)) return { read: false };
    return 'wait';
  }
  if (!held) return 'wait';
  return { read: true, start: startOf(lease) };
}

/** Where the owner of a lease begins: right after its checkpoint. */
export function startOf(lease: Lease): Extract<ShardTurn, { read: true }>['start'] {
  if (isSequenceCheckpoint(lease.checkpoint)) return { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: lease.checkpoint };
  if (lease.checkpoint === LATEST) return { type: 'LATEST' };
  if (lease.startAt && isSequenceCheckpoint(lease.startAt)) return { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: lease.startAt };
  return { type: 'TRIM_HORIZON' };
}

/** The first lease of a shard, from where the run would begin it on its own. */
export function newLease(shard: AssignableShard, streamArn: string): Lease {
  const lease: Lease = {
    leaseKey: shard.shardId,
    leaseCounter: 0,
    checkpoint: TRIM_HORIZON,
    checkpointSubSequenceNumber: 0,
    ownerSwitchesSinceCheckpoint: 0,
    parentShardIds: shard.parentShardId ? [shard.parentShardId] : [],
    streamArn,
  };
  const initial = shard.initial;
  if (initial.skip) lease.checkpoint = SHARD_END;
  else if (initial.position.type === 'LATEST') lease.checkpoint = LATEST;
  else if (initial.position.type === 'AFTER_SEQUENCE_NUMBER') lease.checkpoint = initial.position.sequenceNumber;
  else if (initial.position.type === 'AT_SEQUENCE_NUMBER') lease.startAt = initial.position.sequenceNumber;
  return lease;
}
