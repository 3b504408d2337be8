import type { LeasesOptions } from './options.js';
import type { CommandContext } from '../../io/command-context.js';
import { openClients } from '../../aws/open-clients.js';
import { LeaseTable } from '../../lease/lease-table.js';
import { leaseState, type Lease } from '../../lease/lease.js';
import { DEFAULT_LEASE_DURATION_MS, parseLeaseDuration } from '../../options/group-options.js';
import { renderLeases, type LeaseRow } from '../../render/leases.js';

export async function runLeases(tableName: string, options: LeasesOptions, context: CommandContext): Promise<void> {
  const durationMs = options.leaseDuration === undefined ? DEFAULT_LEASE_DURATION_MS : parseLeaseDuration(options.leaseDuration);
  const clients = openClients(options, context.env);
  try {
    const table = new LeaseTable(clients.tables, tableName);
    await table.assertLeaseTable(context.signal);
    const leases = await table.scan(context.signal);
    const now = Date.now();
    const rows = leases.sort(byKey).map((lease) => toRow(lease, now, durationMs));
    const format = options.json ? 'json' : context.stdout.isTTY ? 'table' : 'tsv';
    const lines = renderLeases(rows, format);
    if (lines.length) context.stdout.write(lines.join('\n') + '\n');
  } finally {
    clients.destroy();
  }
}

function byKey(a: Lease, b: Lease): number {
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
    checkpointSubSequenceNumber: lease.checkpointSubSequenceNumber,
    ownerSwitchesSinceCheckpoint: lease.ownerSwitchesSinceCheckpoint,
    parentShardIds: lease.parentShardIds,
    state: leaseState(lease, expired),
  };
}
