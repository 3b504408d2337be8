import { isFinished, type Lease } from './lease.js';
import { isBackfillKey } from './scan-leases.js';

/** Finished leases deleted at most per round: a table that grew for months shrinks without stalling rounds. */
export const CLEANUP_PER_ROUND = 25;

/**
 * Finished leases that nobody will read again: their shard is no longer in the stream's listing
 * (DynamoDB Streams drops a shard 24 hours after it closed) and no listed shard names it as a
 * parent. KCL's lease cleanup removes such leases too; without it the lease table of a busy
 * stream, whose shards roll over every few hours, grows without end and every round's scan of
 * it with it. `known`: every shard the reader has asked about, which is every listed shard.
 * A backfill's segment leases and scan item stay: they record that the scan is done.
 */
export function leasesToDelete(leases: Iterable<Lease>, known: ReadonlySet<string>, limit: number): Lease[] {
  const all = [...leases];
  const parents = new Set<string>();
  for (const lease of all) if (known.has(lease.leaseKey)) for (const parent of lease.parentShardIds) parents.add(parent);
  return all
    .filter((lease) => isFinished(lease) && !lease.leaseOwner && !known.has(lease.leaseKey) && !parents.has(lease.leaseKey) && !isBackfillKey(lease.leaseKey))
    .slice(0, limit);
}
