import type { LeasesOptions } from './options.js';
import type { CommandContext } from '../../io/command-context.js';
import { openClients } from '../../aws/open-clients.js';
import { LeaseTable } from '../../lease/lease-table.js';
import { leaseState, type Lease } from '../../lease/lease.js';
import { SCAN_ITEM_KEY, scanProgressOf, segmentOfLeaseKey } from '../../lease/scan-leases.js';
import { DEFAULT_LEASE_DURATION_MS, parseLeaseDuration } from '../../options/group-options.js';
import { renderLeases, type LeaseRow } from '../../render/leases.js';
import { describeSegmentPosition } from '../../scan/segment-position.js';

export async function runLeases(tableName: string, options: LeasesOptions, context: CommandContext): Promise<void> {
  const durationMs = options.leaseDuration === undefined ? DEFAULT_LEASE_DURATION_MS : parseLeaseDuration(options.leaseDuration);
  const clients = openClients(options, context.env);
  try {
    const table = new LeaseTable(clients.tables, tableName);
    await table.assertLeaseTable(context.signal);
    const leases = await table.scan(context.signal);
    const now = Date.now();
    // A backfill's scan item is no lease: its progress goes in the summary line.
    const progress = scanProgressOf(new Map(leases.map((lease) => [lease.leaseKey, lease])));
    const rows = leases.filter((lease) => lease.leaseKey !== SCAN_ITEM_KEY).sort(byKey).map((lease) => toRow(lease, now, durationMs));
    const format = options.json ? 'json' : context.stdout.isTTY ? 'table' : 'tsv';
    const lines = renderLeases(rows, format, progress && { ...progress.scan, done: progress.done });
    if (lines.length) context.stdout.write(lines.join('\n') + '\n');
  } finally {
    clients.destroy();
  }
}

/** By key; a backfill's segments in segment order (`…-2-of-16` before `…-10-of-16`). */
function byKey(a: Lease, b: Lease): number {
  const first = segmentOfLeaseKey(a.leaseKey);
  const second = segmentOfLeaseKey(b.leaseKey);
  if (first && second) return first.segment - second.segment;
  return a.leaseKey < b.leaseKey ? -1 : a.leaseKey > b.leaseKey ? 1 : 0;
}

/** Expired needs a renewal time: ours write one; a KCL application's lease shows as held. */
function toRow(lease: Lease, now: number, durationMs: number): LeaseRow {
  const expired = lease.renewedAt !== undefined && now - lease.renewedAt > durationMs;
  return {
    leaseKey: lease.leaseKey,
    ...(lease.leaseOwner ? { leaseOwner: lease.leaseOwner } : {}),
    leaseCounter: lease.leaseCounter,
    checkpoint: lease.checkpoint,
    ...(segmentOfLeaseKey(lease.leaseKey) ? withText(describeSegmentPosition(lease.checkpoint)) : {}),
    checkpointSubSequenceNumber: lease.checkpointSubSequenceNumber,
    ownerSwitchesSinceCheckpoint: lease.ownerSwitchesSinceCheckpoint,
    parentShardIds: lease.parentShardIds,
    state: leaseState(lease, expired),
  };
}

function withText(text: string | undefined): { checkpointText?: string } {
  return text === undefined ? {} : { checkpointText: text };
}
