import type { AwsOptions } from '../aws/aws-options.js';
import type { AwsClients } from '../aws/clients.js';
import { openClients } from '../aws/open-clients.js';
import { parseStreamRef, type StreamRef } from '../aws/stream-ref.js';
import type { CommandContext } from '../io/command-context.js';
import { parseReadingOptions, type RawReadingOptions, type ReadingOptions } from '../options/reading-options.js';
import { ScanSegmentsMismatchError } from '../scan/errors.js';
import { parallelScan } from '../scan/parallel-scan.js';
import { ScanProgress } from '../scan/scan-progress.js';
import { scannedRecord, segmentOf, segmentShardId, type ScanRecordContext } from '../scan/scan-record.js';
import { ScanStats } from '../scan/scan-stats.js';
import { scanSegments } from '../scan/segments.js';
import { streamAfterScan } from '../scan/stream-after-scan.js';
import { describeScanTable, type ScanTable } from '../scan/table-info.js';
import { CheckpointStore } from '../stream/checkpoint.js';
import { readStream } from '../stream/reader.js';
import type { RetryPolicy } from '../stream/retry.js';
import { selectRecords, type CommitMark } from '../stream/select-records.js';
import type { ReaderEvent, ShardBatch } from '../stream/types.js';
import { UsageError } from '../util/errors.js';
import { retryPolicyFromEnv, type GroupStatus, type PageSession } from './reading-session.js';
import { readerOptions } from './reader-options.js';

/** `--scan`, `--scan-segments`, `--consistent` as commander hands them over. */
export interface RawScanOptions {
  scan?: boolean;
  scanSegments?: string;
  consistent?: boolean;
}

/** Moves a checkpoint: the stream's shards, or a scan segment's pseudo-shard. */
export interface BackfillCheckpoint {
  advance(shardId: string, sequenceNumber: string): void;
  finish(shardId: string): void;
  save(): Promise<void>;
}

/** A reading session that first delivers the table's items, then the stream from the scan's start. */
export interface BackfillSession extends PageSession {
  table: ScanTable;
  /** What the progress line shows while the scan runs. */
  scan: ScanStats;
  checkpoint: BackfillCheckpoint | undefined;
  /** The consumer group this backfill is shared with, once reading (`--scan --group`). */
  group?: GroupStatus | undefined;
}

/** A table named on the command line, described: the clients that reach it, and what the backfill needs of it. */
export interface FoundTable {
  clients: AwsClients;
  table: ScanTable;
}

/** Where a table's part of the checkpoint file is kept: its stream's ARN, or its own for a table without a stream. */
export function checkpointPartOf(table: ScanTable): string {
  return table.stream?.streamArn ?? table.tableArn;
}

/** Describes the table of a table name or stream ARN; the clients are released if that fails. */
export async function findBackfillTable(name: string, options: AwsOptions, context: CommandContext): Promise<FoundTable> {
  const ref = parseStreamRef(name);
  const clients = openClients(options, context.env, ref.kind === 'arn' ? ref.region : undefined);
  try {
    return { clients, table: await describeBackfillTable(ref, clients, context.signal) };
  } catch (error) {
    clients.destroy();
    throw error;
  }
}

/**
 * Opens a backfill: the table described (a table without a stream is fine: nothing follows the
 * scan), the checkpoint opened (its scan section says which segments are left), the scan and
 * the stream after it wired into one run of pages that the reading rules (filters, -n, --until)
 * apply to as to any.
 */
export async function openBackfillSession(
  name: string,
  options: AwsOptions & RawReadingOptions & RawScanOptions,
  context: CommandContext,
  reading: ReadingOptions = parseReadingOptions(options, new Date()),
): Promise<BackfillSession> {
  const defaultRetry = retryPolicyFromEnv(context.env);
  const pageSize = scanPageSizeFromEnv(context.env);
  const found = await findBackfillTable(name, options, context);
  try {
    const store = reading.checkpoint ? await CheckpointStore.open(reading.checkpoint, checkpointPartOf(found.table)) : undefined;
    return startBackfillSession(found, { store, reading, defaultRetry, pageSize, scan: options });
  } catch (error) {
    found.clients.destroy();
    throw error;
  }
}

/** What a found table is backfilled with. */
export interface BackfillSettings {
  /** The table's part of the checkpoint file, when there is one. */
  store: CheckpointStore | undefined;
  reading: ReadingOptions;
  defaultRetry: RetryPolicy;
  /** Items per Scan page (DDBSTREAM_SCAN_PAGE_SIZE); undefined: DynamoDB's 1 MB pages. */
  pageSize: number | undefined;
  scan: RawScanOptions;
  /** Several tables backfilled at once: a scan error names the table. */
  nameTable?: boolean;
}

/**
 * The backfill of a found table and its part of the checkpoint. A saved scan of another
 * segment count than `--scan-segments` asks for is refused; on failure the caller releases
 * the clients.
 */
export function startBackfillSession(found: FoundTable, settings: BackfillSettings): BackfillSession {
  const { clients, table } = found;
  const { store, reading, defaultRetry, pageSize, scan: options } = settings;
  const segments = scanSegments(options.scanSegments, table.sizeBytes);
  const { progress, resumed } = ScanProgress.open(store, segments, new Date());
  if (resumed && options.scanSegments !== undefined && progress.totalSegments !== segments) {
    const keeper = { checkpoint: reading.checkpoint!, ...(settings.nameTable ? { table: table.table } : {}) };
    throw new ScanSegmentsMismatchError(keeper, progress.totalSegments, segments);
  }
  const stats = new ScanStats(progress.totalSegments);
  stats.segmentsDone = progress.segmentsDone;
  const recordContext = scanRecordContext(table, clients);

  async function* scanned(signal: AbortSignal, onEvent: ((event: ReaderEvent) => void) | undefined, retry: RetryPolicy): AsyncGenerator<ShardBatch> {
    if (progress.complete) return;
    stats.scanning = true;
    let sequence = 0n;
    const pages = parallelScan({
      client: clients.tables,
      table: table.table,
      totalSegments: progress.totalSegments,
      segments: progress.remaining(),
      consistent: Boolean(options.consistent),
      concurrency: reading.concurrency,
      retry,
      signal,
      ...(onEvent ? { onEvent } : {}),
      ...(pageSize ? { pageSize } : {}),
    });
    for await (const page of pages) {
      // The moment the item was read, to the second, as a stream record would carry it.
      const time = new Date(Math.floor(Date.now() / 1000) * 1000);
      const records = page.items.map((item) => scannedRecord(item, page.segment, ++sequence, time, recordContext));
      stats.items += records.length;
      stats.capacity += page.capacity;
      if (!page.next) stats.segmentsDone++;
      // An empty page in mid-segment delivers nothing; the next page's key supersedes its own.
      if (!records.length && page.next) continue;
      if (records.length) progress.noteScanned(page.segment, sequence, page.next);
      yield { shardId: segmentShardId(page.segment), records, end: !page.next, caughtUp: true };
    }
    stats.scanning = false;
  }

  const commit = (mark: CommitMark): void => {
    const segment = segmentOf(mark.shardId);
    if (segment !== undefined) progress.delivered(segment, mark.through, mark.end);
    else {
      if (mark.through) store?.advance(mark.shardId, mark.through);
      if (mark.end) store?.finish(mark.shardId);
    }
  };

  return {
    clients,
    table,
    reading,
    scan: stats,
    checkpoint: store && {
      advance: (shardId, through) => commit({ shardId, through, end: false }),
      finish: (shardId) => commit({ shardId, end: true }),
      save: () => store.save(),
    },
    read({ follow, signal, onEvent, retry }) {
      const policy = retry ?? defaultRetry;
      const start = streamAfterScan(progress.startedAt);
      const stream = table.stream;
      async function* all(): AsyncGenerator<ShardBatch> {
        yield* scanned(signal, onEvent, policy);
        if (!stream || signal.aborted) return;
        yield* readStream(readerOptions(clients.streams, { streamArn: stream.streamArn, table: table.table }, reading, {
          start: start.position, follow, signal, onEvent, checkpoint: store, retry: policy,
        }));
      }
      const pastUntil = reading.pastUntil;
      return selectRecords(all(), {
        ...reading,
        // The stream part starts from the scan; `--until` and positions do not cut scanned items.
        start,
        ...(pastUntil ? { pastUntil: (record) => !record.scan && pastUntil(record) } : {}),
      });
    },
    async commit(mark) {
      commit(mark);
      await store?.saveIfDue();
    },
    async close() {
      try {
        await store?.save();
      } finally {
        clients.destroy();
      }
    },
  };
}

/** The table to backfill. A stream ARN names the stream to continue with, even if the table has a newer one. */
export async function describeBackfillTable(ref: StreamRef, clients: AwsClients, signal?: AbortSignal): Promise<ScanTable> {
  const described = await describeScanTable(clients, ref.table, signal);
  return ref.kind === 'arn'
    ? { ...described, stream: { ...described.stream, streamArn: ref.arn, label: ref.label } }
    : described;
}

/** Where the table's synthetic records say they come from. */
export function scanRecordContext(table: ScanTable, clients: AwsClients): ScanRecordContext {
  return {
    table: table.table,
    streamArn: table.stream?.streamArn ?? '',
    region: regionOf(table.stream?.streamArn ?? table.tableArn) ?? clients.config.region ?? '',
    keyNames: table.keyNames,
    ...(table.stream?.viewType ? { viewType: table.stream.viewType } : {}),
  };
}

/**
 * Items per Scan page, from DDBSTREAM_SCAN_PAGE_SIZE; undefined: as many as DynamoDB puts in a
 * page (1 MB). Smaller pages cost more calls, and let an interrupted scan resume (and a shared
 * one be handed over) closer to where it stopped.
 */
export function scanPageSizeFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const text = env.DDBSTREAM_SCAN_PAGE_SIZE?.trim();
  if (!text) return undefined;
  if (!/^\d{1,9}$/.test(text) || Number(text) < 1) {
    throw new UsageError(`DDBSTREAM_SCAN_PAGE_SIZE "${text}" is not a positive whole number of items (e.g. 100)`);
  }
  return Number(text);
}

function regionOf(arn: string): string | undefined {
  return /^arn:[^:]+:dynamodb:([^:]+):/.exec(arn)?.[1];
}
