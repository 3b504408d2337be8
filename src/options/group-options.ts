import type { Command } from 'commander';
import { hostname } from 'node:os';
import { UsageError } from '../util/errors.js';

/** The consumer-group options as commander hands them over. */
export interface RawGroupOptions {
  group?: string;
  leaseTable?: string;
  workerId?: string;
  leaseDuration?: string;
}

/** A validated consumer group: which lease table, who this worker is, how long a lease lasts. */
export interface GroupOptions {
  name: string;
  leaseTable: string;
  workerId: string;
  leaseDurationMs: number;
}

/** KCL's failover time: a worker silent this long has its leases taken. */
export const DEFAULT_LEASE_DURATION_MS = 10_000;
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/** Declares --group and its companions (export and replay). */
export function addGroupOptions(command: Command): Command {
  return command
    .option('--group <name>', 'share the stream with other workers of this consumer group (a lease table in DynamoDB, as KCL keeps)')
    .option('--lease-table <table>', 'the group\'s lease table (default: the group name); created on first use')
    .option('--worker-id <id>', 'this worker\'s name in the lease table (default: host name and process id)')
    .option('--lease-duration <seconds>', 'a worker silent this long loses its leases to the others (default 10)');
}

/** The group, or undefined without --group. `checkpoint`: whether --checkpoint was given too. */
export function parseGroupOptions(raw: RawGroupOptions, checkpoint: string | undefined): GroupOptions | undefined {
  if (raw.group === undefined) {
    const stray = raw.leaseTable !== undefined ? '--lease-table' : raw.workerId !== undefined ? '--worker-id' : raw.leaseDuration !== undefined ? '--lease-duration' : undefined;
    if (stray) throw new UsageError(`${stray} applies to a consumer group: add --group NAME`);
    return undefined;
  }
  const name = raw.group.trim();
  if (!name) throw new UsageError('--group needs a name, e.g. --group orders-export');
  if (checkpoint !== undefined) {
    throw new UsageError('--group keeps its checkpoints in the lease table: drop --checkpoint (or drop --group to use the file)');
  }
  const leaseTable = (raw.leaseTable ?? name).trim();
  if (!TABLE_NAME.test(leaseTable)) {
    throw new UsageError(`lease table "${leaseTable}" is not a DynamoDB table name (3–255 letters, digits, _ . -): pass --lease-table TABLE`);
  }
  const workerId = raw.workerId?.trim() || `${hostname()}:${process.pid}`;
  return { name, leaseTable, workerId, leaseDurationMs: parseLeaseDuration(raw.leaseDuration) };
}

export function parseLeaseDuration(text: string | undefined): number {
  if (text === undefined) return DEFAULT_LEASE_DURATION_MS;
  const value = text.trim().replace(/s$/, '');
  const seconds = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  if (!(seconds >= 0.3 && seconds <= 3600)) {
    throw new UsageError(`--lease-duration "${text}" must be a number of seconds from 0.3 to 3600 (e.g. 10)`);
  }
  return Math.round(seconds * 1000);
}
