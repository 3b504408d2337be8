import { LeaseOfUnknownShardError, NotALeaseTableError } from './errors.js';
import { isFinished, SHARD_END, TRIM_HORIZON, type Lease } from './lease.js';
import type { LeaseTable } from './lease-table.js';

/*
 * A backfill shared by a consumer group (`--scan --group`). The scan's segments are leases like
 * the stream's shards, so the group's workers share them, renew them, take over those of a
 * worker that died and balance them with the same conditional writes. A segment's checkpoint is
 * its position: TRIM_HORIZON before anyone scanned it, then where it continues (the scan room's
 * encoding of a key, opaque here), SHARD_END once every item of it was delivered. One more item,
 * the scan item, records when the scan began and in how many segments: every worker scans the
 * same segments and reads the stream from the same moment.
 *
 * Their keys begin with `scan-`, which no shard id does (DynamoDB's begin with `shardId-`).
 */

/** The scan item's key. */
export const SCAN_ITEM_KEY = 'scan-started';

/** What the scan item records, the same for every worker of the group. */
export interface RecordedScan {
  startedAt: Date;
  totalSegments: number;
}

/** `scan-segment-3-of-8`: the count is in the key, so a lease of another split can never pass for one of this. */
export function segmentLeaseKey(segment: number, totalSegments: number): string {
  return `scan-segment-${segment}-of-${totalSegments}`;
}

/** The segment of a segment lease's key, or undefined for any other key. */
export function segmentOfLeaseKey(key: string): { segment: number; totalSegments: number } | undefined {
  const match = /^scan-segment-(\d+)-of-(\d+)$/.exec(key);
  return match ? { segment: Number(match[1]), totalSegments: Number(match[2]) } : undefined;
}

/** A key of the backfill (a segment or the scan item), not of a shard. */
export function isBackfillKey(key: string): boolean {
  return key.startsWith('scan-');
}

/** Every segment lease key of a scan, in segment order. */
export function segmentLeaseKeys(scan: RecordedScan): string[] {
  return Array.from({ length: scan.totalSegments }, (_, segment) => segmentLeaseKey(segment, scan.totalSegments));
}

/** A segment's lease before anyone scanned it. */
export function newSegmentLease(key: string, streamArn: string): Lease {
  return {
    leaseKey: key,
    leaseCounter: 0,
    checkpoint: TRIM_HORIZON,
    checkpointSubSequenceNumber: 0,
    ownerSwitchesSinceCheckpoint: 0,
    parentShardIds: [],
    streamArn,
  };
}

/**
 * The scan item. Its checkpoint is SHARD_END: there is nothing to read in it, so the coordinator's
 * taker (and KCL's tools) pass over it as they do over a finished shard.
 */
export function scanItem(scan: RecordedScan, streamArn: string): Lease {
  return {
    leaseKey: SCAN_ITEM_KEY,
    leaseCounter: 0,
    checkpoint: SHARD_END,
    checkpointSubSequenceNumber: 0,
    ownerSwitchesSinceCheckpoint: 0,
    parentShardIds: [],
    streamArn,
    scanStartedAt: scan.startedAt.toISOString(),
    scanSegments: scan.totalSegments,
  };
}

/** What a scan item records, or undefined when the lease is not one (or is damaged). */
export function recordedScan(lease: Lease | undefined): RecordedScan | undefined {
  if (lease?.leaseKey !== SCAN_ITEM_KEY || !lease.scanStartedAt || !lease.scanSegments) return undefined;
  const startedAt = new Date(lease.scanStartedAt);
  if (Number.isNaN(startedAt.getTime()) || !Number.isInteger(lease.scanSegments) || lease.scanSegments < 1) return undefined;
  return { startedAt, totalSegments: lease.scanSegments };
}

/**
 * The group's scan: `proposed` if this worker is the first (a conditional put: of workers that
 * start together, exactly one writes it), else the one the table records.
 */
export async function joinScan(table: LeaseTable, proposed: RecordedScan, streamArn: string, signal?: AbortSignal): Promise<RecordedScan> {
  if (await table.create(scanItem(proposed, streamArn))) return proposed;
  const item = await table.get(SCAN_ITEM_KEY, signal);
  if (item?.streamArn && item.streamArn !== streamArn) throw new LeaseOfUnknownShardError(table.name, SCAN_ITEM_KEY, streamArn, item.streamArn);
  const recorded = recordedScan(item);
  if (!recorded) throw new NotALeaseTableError(table.name, `its ${SCAN_ITEM_KEY} item does not say when the scan began nor in how many segments`);
  return recorded;
}

/** The recorded scan and how many of its segments are finished, as the table shows them; undefined without a scan item. */
export function scanProgressOf(leases: ReadonlyMap<string, Lease>): { scan: RecordedScan; done: number } | undefined {
  const scan = recordedScan(leases.get(SCAN_ITEM_KEY));
  if (!scan) return undefined;
  const done = segmentLeaseKeys(scan).filter((key) => {
    const lease = leases.get(key);
    return lease !== undefined && isFinished(lease);
  }).length;
  return { scan, done };
}

/**
 * A backfill is under way while the table records a scan with a segment not finished (or not
 * written yet). No stream shard is read meanwhile, by any worker of the group: every scanned
 * item is delivered before any change from the stream, as by one process, so that a consumer
 * applying what it gets in order never puts a scanned (older) image over a newer change.
 */
export function backfillUnderWay(leases: ReadonlyMap<string, Lease>): boolean {
  const progress = scanProgressOf(leases);
  return progress !== undefined && progress.done < progress.scan.totalSegments;
}

/**
 * Which of the segments `keys` this worker scans next: the first (in segment order) that it holds
 * and is not reading yet; `done` once every one is finished, whoever finished it; otherwise
 * `wait` (the rest are read by others, or not taken yet).
 */
export function pickSegment(
  keys: readonly string[],
  leases: ReadonlyMap<string, Lease>,
  holds: (key: string) => boolean,
  reading: ReadonlySet<string>,
): string | 'done' | 'wait' {
  let finished = 0;
  for (const key of keys) {
    const lease = leases.get(key);
    if (!lease) continue;
    if (isFinished(lease)) finished++;
    else if (!reading.has(key) && holds(key)) return key;
  }
  return finished === keys.length ? 'done' : 'wait';
}
