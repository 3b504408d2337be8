import type { AwsOptions } from '../aws/aws-options.js';
import type { CommandContext } from '../io/command-context.js';
import type { RawReadingOptions, ReadingOptions } from '../options/reading-options.js';
import { sumScanStats, type ScanStatus } from '../scan/scan-stats.js';
import {
  checkpointPartOf,
  findBackfillTable,
  scanPageSizeFromEnv,
  startBackfillSession,
  type BackfillSession,
  type RawScanOptions,
} from './backfill-session.js';
import { mergePages } from './merged-pages.js';
import { retryPolicyFromEnv, type PageSession } from './reading-session.js';
import { openEach, type SeveralSessions } from './several-streams.js';

/** Several tables backfilled at once, as one run of pages (`ddbstream export Users Orders --scan`). */
export interface SeveralBackfillsSession extends PageSession, SeveralSessions {
  /** The scans of every table together: items, segments and capacity summed, scanning while any is. */
  scan: ScanStatus;
}

/**
 * One backfill per table (`--scan` of several): each its own scan, then its own stream from
 * the moment its scan began, reading with its share of `--concurrency` (its segments and its
 * shards). `--scan-segments` applies to each table. One checkpoint file holds every table's
 * part (its scan section and its shards), tied to its stream's ARN, or to the table's own for a
 * table without a stream. A table named twice (by name and by its stream's ARN) is backfilled
 * once. For replay, which runs one event source mapping per table.
 */
export async function openBackfillSessions(
  names: readonly string[],
  options: AwsOptions & RawReadingOptions & RawScanOptions,
  context: CommandContext,
  reading: ReadingOptions,
): Promise<BackfillSession[]> {
  const defaultRetry = retryPolicyFromEnv(context.env);
  const pageSize = scanPageSizeFromEnv(context.env);
  const several = new Set(names).size > 1;
  return openEach(names, reading, {
    find: (name) => findBackfillTable(name, options, context),
    partOf: (found) => checkpointPartOf(found.table),
    release: (found) => found.clients.destroy(),
    start: async (found, store, share) => startBackfillSession(found, { store, reading: share, defaultRetry, pageSize, scan: options, nameTable: several }),
  });
}

/**
 * The backfills of several tables merged into one run of pages, as several streams are: the
 * tables' items and changes interleave, `-n` counts the records of all, and each page's
 * checkpoint mark goes back to its table's backfill.
 */
export async function openSeveralBackfills(
  names: readonly string[],
  options: AwsOptions & RawReadingOptions & RawScanOptions,
  context: CommandContext,
  reading: ReadingOptions,
): Promise<SeveralBackfillsSession> {
  const sessions = await openBackfillSessions(names, options, context, reading);
  const tables = sessions.map((s) => s.table.table);
  return {
    ...mergePages(sessions, tables, reading),
    clients: sessions[0]!.clients,
    reading,
    tables,
    streamArns: sessions.map((s) => s.table.stream?.streamArn ?? ''),
    scan: sumScanStats(sessions.map((s) => s.scan)),
  };
}
