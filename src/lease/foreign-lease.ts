import { LeaseOfUnknownShardError } from './errors.js';
import { isFinished, type Lease } from './lease.js';
import { isBackfillKey } from './scan-leases.js';

/**
 * The first lease that says the table belongs to another stream: one that names another stream,
 * or an unfinished lease of a shard this stream does not list and whose parents it does not list
 * either. Reading on would mix two groups' checkpoints. A backfill's leases (its segments and
 * scan item) name no shard: only their stream is checked.
 */
export function foreignLease(leases: Iterable<Lease>, known: ReadonlySet<string>, table: string, streamArn: string): LeaseOfUnknownShardError | undefined {
  for (const lease of leases) {
    if (lease.streamArn && lease.streamArn !== streamArn) {
      return new LeaseOfUnknownShardError(table, lease.leaseKey, streamArn, lease.streamArn);
    }
    if (isFinished(lease) || known.has(lease.leaseKey) || isBackfillKey(lease.leaseKey)) continue;
    if (lease.parentShardIds.some((parent) => known.has(parent))) continue; // a child listed after our DescribeStream
    return new LeaseOfUnknownShardError(table, lease.leaseKey, streamArn);
  }
  return undefined;
}
