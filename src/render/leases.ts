import { formatTable, formatTsv } from './table.js';

/** A lease as the leases view shows it (KCL's attributes, and the state worked out from them). */
export interface LeaseRow {
  leaseKey: string;
  leaseOwner?: string;
  leaseCounter: number;
  checkpoint: string;
  /** The checkpoint for people, when the raw one is not for them (a scan segment's position). */
  checkpointText?: string;
  checkpointSubSequenceNumber: number;
  ownerSwitchesSinceCheckpoint: number;
  parentShardIds: string[];
  state: 'held' | 'expired' | 'finished' | 'free';
}

/** A group's backfill (`--scan --group`) as its scan item records it, and how far it got. */
export interface ScanSummary {
  startedAt: Date;
  totalSegments: number;
  done: number;
}

const HEADER = ['SHARD', 'PARENT', 'OWNER', 'COUNTER', 'CHECKPOINT', 'STATE'];

/**
 * The lease table for people (a table and a summary line), for pipes (TSV), or as NDJSON with
 * KCL's names. Pipes and JSON get checkpoints as stored; the table, as people read them.
 */
export function renderLeases(rows: readonly LeaseRow[], format: 'table' | 'tsv' | 'json', scan?: ScanSummary): string[] {
  if (format === 'json') return rows.map(leaseJson);
  const cells = rows.map((row) => [
    row.leaseKey,
    row.parentShardIds.join(',') || '-',
    row.leaseOwner ?? '-',
    String(row.leaseCounter),
    format === 'table' ? row.checkpointText ?? row.checkpoint : row.checkpoint,
    row.state,
  ]);
  if (format === 'tsv') return formatTsv(HEADER, cells);
  return [...formatTable(HEADER, cells), '', leaseSummary(rows, scan)];
}

/** "3 workers (a: 4, b: 4, c: 3) · 11 leases · 2 finished · 1 free · 0 expired", and a backfill's progress. */
export function leaseSummary(rows: readonly LeaseRow[], scan?: ScanSummary): string {
  const perWorker = new Map<string, number>();
  let finished = 0;
  let free = 0;
  let expired = 0;
  for (const row of rows) {
    if (row.state === 'finished') finished++;
    else if (row.state === 'free') free++;
    else if (row.state === 'expired') expired++;
    if (row.leaseOwner && row.state !== 'finished') perWorker.set(row.leaseOwner, (perWorker.get(row.leaseOwner) ?? 0) + 1);
  }
  const workers = [...perWorker].sort(([a], [b]) => a.localeCompare(b)).map(([name, count]) => `${name}: ${count}`).join(', ');
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return [
    `${plural(perWorker.size, 'worker')}${workers ? ` (${workers})` : ''}`,
    `${plural(rows.length, 'lease')}`,
    `${finished} finished`,
    `${free} free`,
    `${expired} expired`,
    ...(scan ? [`scan: ${scan.done}/${scan.totalSegments} segments done (began ${scan.startedAt.toISOString()})`] : []),
  ].join(' · ');
}

function leaseJson(row: LeaseRow): string {
  return JSON.stringify({
    leaseKey: row.leaseKey,
    ...(row.leaseOwner ? { leaseOwner: row.leaseOwner } : {}),
    leaseCounter: row.leaseCounter,
    checkpoint: row.checkpoint,
    checkpointSubSequenceNumber: row.checkpointSubSequenceNumber,
    ownerSwitchesSinceCheckpoint: row.ownerSwitchesSinceCheckpoint,
    ...(row.parentShardIds.length ? { parentShardId: row.parentShardIds } : {}),
    state: row.state,
  });
}
