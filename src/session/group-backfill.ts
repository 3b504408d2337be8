import type { AwsOptions } from '../aws/aws-options.js';
import { openClients } from '../aws/open-clients.js';
import { parseStreamRef } from '../aws/stream-ref.js';
import type { CommandContext } from '../io/command-context.js';
import { NotALeaseTableError } from '../lease/errors.js';
import { isFinished, TRIM_HORIZON } from '../lease/lease.js';
import type { LeaseCoordinator } from '../lease/lease-coordinator.js';
import { LeaseTable } from '../lease/lease-table.js';
import { joinScan, newSegmentLease, segmentLeaseKeys } from '../lease/scan-leases.js';
import type { GroupOptions } from '../options/group-options.js';
import type { RawReadingOptions, ReadingOptions } from '../options/reading-options.js';
import { assignedScan, type SegmentAssignment } from '../scan/assigned-scan.js';
import { ScanSegmentsMismatchError } from '../scan/errors.js';
import { groupSequence, scannedRecord, segmentOf, segmentShardId } from '../scan/scan-record.js';
import { ScanStats } from '../scan/scan-stats.js';
import { SegmentDeliveries } from '../scan/segment-deliveries.js';
import { decodeSegmentPosition } from '../scan/segment-position.js';
import { scanSegments } from '../scan/segments.js';
import { streamAfterScan } from '../scan/stream-after-scan.js';
import type { RetryPolicy } from '../stream/retry.js';
import { selectRecords, type CommitMark } from '../stream/select-records.js';
import type { ReaderEvent, ShardBatch } from '../stream/types.js';
import { describeBackfillTable, scanPageSizeFromEnv, scanRecordContext, type BackfillSession, type RawScanOptions } from './backfill-session.js';
import { openGroupReading, type GroupReading } from './group-reading.js';
import { retryPolicyFromEnv } from './reading-session.js';
import { readerOptions } from './reader-options.js';

/**
 * A backfill shared by a consumer group (`--scan --group`). The first worker records when the
 * scan begins and in how many segments (the scan item); every worker scans the segments the
 * group's leases give it, each from its lease's checkpoint; once every segment is done, whoever
 * did it, the workers read the stream from a margin before the recorded start, sharing its
 * shards as `--group` does. The segments' and the shards' checkpoints move only past what was
 * delivered, as in one process.
 */
export async function openGroupBackfill(
  name: string,
  options: AwsOptions & RawReadingOptions & RawScanOptions,
  context: CommandContext,
  reading: ReadingOptions,
  group: GroupOptions,
): Promise<BackfillSession> {
  const defaultRetry = retryPolicyFromEnv(context.env);
  const pageSize = scanPageSizeFromEnv(context.env);
  const ref = parseStreamRef(name);
  const clients = openClients(options, context.env, ref.kind === 'arn' ? ref.region : undefined);
  try {
    const table = await describeBackfillTable(ref, clients, context.signal);
    // The group's leases name the stream they belong to; a table without one, by its own ARN.
    const streamArn = table.stream?.streamArn ?? table.tableArn;
    const asked = scanSegments(options.scanSegments, table.sizeBytes);
    const leases = new LeaseTable(clients.tables, group.leaseTable);
    await leases.ensure(context.signal);
    const scan = await joinScan(leases, { startedAt: new Date(), totalSegments: asked }, streamArn, context.signal);
    if (options.scanSegments !== undefined && scan.totalSegments !== asked) {
      throw new ScanSegmentsMismatchError({ leaseTable: group.leaseTable }, scan.totalSegments, asked);
    }
    const keys = segmentLeaseKeys(scan);
    const stats = new ScanStats(scan.totalSegments);
    const deliveries = new SegmentDeliveries();
    const recordContext = scanRecordContext(table, clients);
    let grouped: GroupReading | undefined;

    async function* scanned(coordinator: LeaseCoordinator, signal: AbortSignal, onEvent: ((event: ReaderEvent) => void) | undefined, retry: RetryPolicy): AsyncGenerator<ShardBatch> {
      await coordinator.enlist(keys.map((key) => newSegmentLease(key, streamArn)));
      const segmentsDone = (): number => keys.filter((key) => {
        const lease = coordinator.lease(key);
        return lease !== undefined && isFinished(lease);
      }).length;
      stats.segmentsDone = segmentsDone();
      stats.scanning = stats.segmentsDone < keys.length;
      const pages = assignedScan({
        client: clients.tables,
        table: table.table,
        totalSegments: scan.totalSegments,
        consistent: Boolean(options.consistent),
        concurrency: reading.concurrency,
        retry,
        signal,
        assignment: segmentAssignment(coordinator, keys, deliveries, group.leaseTable),
        ...(onEvent ? { onEvent } : {}),
        ...(pageSize ? { pageSize } : {}),
      });
      for await (const page of pages) {
        // The moment the item was read, to the second, as a stream record would carry it.
        const time = new Date(Math.floor(Date.now() / 1000) * 1000);
        const records = page.items.map((item, i) => scannedRecord(item, page.segment, groupSequence(page.segment, page.firstItem + i), time, recordContext));
        stats.items += records.length;
        stats.capacity += page.capacity;
        if (page.position !== undefined) deliveries.handed(page.segment, groupSequence(page.segment, page.firstItem + records.length - 1), page.position);
        stats.segmentsDone = segmentsDone();
        yield { shardId: segmentShardId(page.segment), records, end: page.position === undefined, caughtUp: true };
      }
      stats.segmentsDone = segmentsDone();
      stats.scanning = false;
    }

    /** A delivered page's mark to the lease it belongs to: a segment's (its position), or a shard's. */
    const commit = (mark: CommitMark): void => {
      const coordinator = grouped?.coordinator;
      if (!coordinator) return;
      const segment = segmentOf(mark.shardId);
      if (segment === undefined) return coordinator.checkpoint(mark.shardId, mark.through, mark.end);
      const position = mark.through !== undefined ? deliveries.delivered(segment, mark.through) : undefined;
      if (mark.end) deliveries.finished(segment);
      if (mark.end || position !== undefined) coordinator.checkpoint(keys[segment]!, position, mark.end);
    };

    const session: BackfillSession = {
      clients,
      table,
      reading,
      scan: stats,
      checkpoint: undefined,
      group: undefined,
      read({ follow, signal, onEvent, retry }) {
        const policy = retry ?? defaultRetry;
        grouped = openGroupReading(group, clients, streamArn, reading, follow);
        const { coordinator } = grouped;
        session.group = coordinator;
        session.checkpoint = {
          advance: (shardId, through) => commit({ shardId, through, end: false }),
          finish: (shardId) => commit({ shardId, end: true }),
          save: () => coordinator.flush(),
        };
        const start = streamAfterScan(scan.startedAt);
        const stream = table.stream;
        const pages = grouped.read({
          signal,
          first: (c, s) => scanned(c, s, onEvent, policy),
          ...(stream
            ? {
              stream: readerOptions(clients.streams, { streamArn: stream.streamArn, table: table.table }, reading, {
                start: start.position, follow, onEvent, retry: policy,
              }),
            }
            : {}),
        });
        const pastUntil = reading.pastUntil;
        return selectRecords(pages, {
          ...reading,
          // The stream part starts from the recorded scan; `--until` and positions do not cut scanned items.
          start,
          ...(pastUntil ? { pastUntil: (record) => !record.scan && pastUntil(record) } : {}),
        });
      },
      async commit(mark) {
        commit(mark);
        const coordinator = grouped?.coordinator;
        // A finished segment or shard lets others go on (the stream, or the shard's children): write it at once.
        await (mark.end ? coordinator?.flush() : coordinator?.flushIfDue());
      },
      async close() {
        try {
          await grouped?.coordinator.stop();
        } finally {
          clients.destroy();
        }
      },
    };
    return session;
  } catch (error) {
    clients.destroy();
    throw error;
  }
}

/** The group's leases as the scan's assignment: which segment next, from where, and whether it is still ours. */
function segmentAssignment(coordinator: LeaseCoordinator, keys: readonly string[], deliveries: SegmentDeliveries, leaseTable: string): SegmentAssignment {
  return {
    async next(signal) {
      const key = await coordinator.next(keys, signal);
      if (key === undefined) return undefined;
      const segment = keys.indexOf(key);
      // Pages of it still on their way here (its lease lapsed a moment and came back): on after
      // the last of them; otherwise after the lease's checkpoint.
      const at = deliveries.inFlight(segment) ?? coordinator.position(key);
      if (at === undefined || at === TRIM_HORIZON) return { segment, from: { items: 0 } };
      const from = decodeSegmentPosition(at);
      if (!from) throw new NotALeaseTableError(leaseTable, `the checkpoint of ${key} is not a scan position: ${at}`);
      return { segment, from, at };
    },
    holds: (segment) => coordinator.holds(keys[segment]!),
    stopped: (segment, stop) => coordinator.stopped(keys[segment]!, stop.how === 'end' ? { how: 'end' } : { how: 'lost', lastRead: stop.handed }),
  };
}
