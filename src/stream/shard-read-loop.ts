import type { GetRecordsCommandOutput } from '@aws-sdk/client-dynamodb-streams';
import { compareSequenceNumbers, type StreamRecord } from '../records/record.js';
import { sleep } from '../util/sleep.js';
import type { Semaphore } from './async-queue.js';
import type { PageHandover } from './page-handover.js';
import { describeStartPosition } from './position.js';
import type { ReaderCalls } from './reader-calls.js';
import type { ShardEntry } from './shard-lineage.js';
import { toStreamRecord } from './to-stream-record.js';
import { GONE, type NextIterator, type ShardProgress, type TrimRecovery } from './trim-recovery.js';
import type { ReaderEvent, StartPosition } from './types.js';
import type { IteratorPrefetch } from './iterator-prefetch.js';
import type { UntilPoint } from './until-point.js';

// A DescribeStream can list children while it still shows their parent open. At the parent's
// tip we describe again instead of stopping, a bounded number of times.
const PARENT_CLOSE_CHECKS = 20;

// GetRecords may answer an empty page with records further on in an open shard. An open shard
// counts as read to its tip (without follow, or for --until) only after this many empty pages in a row.
const EMPTY_PAGES_AT_TIP = 3;

type SequencePosition = Extract<StartPosition, { sequenceNumber: string }>;

/** What a shard's reader needs of the lineage around it. */
export interface LineageView {
  describe(): Promise<void>;
  shardEnded(shardId: string, entry: ShardEntry): Promise<void>;
  /** The shard stopped at `--until`: neither it nor its children have anything more to give. */
  shardStopped(shardId: string, entry: ShardEntry): void;
  noteCaughtUp(entry: ShardEntry): void;
  hasListedChildren(shardId: string): boolean;
  pendingChildren(shardId: string): string[];
}

export interface ShardReadSettings {
  calls: ReaderCalls;
  recovery: TrimRecovery;
  pages: PageHandover;
  lineage: LineageView;
  /** Shared by every shard: a GetRecords holds one until its page is queued. */
  slots: Semaphore;
  signal: AbortSignal;
  streamArn: string;
  table: string;
  /** GetRecords Limit (1–1000). */
  pageSize: number;
  /** Wait between polls of a caught-up open shard. */
  pollMs: number;
  follow: boolean;
  /** `--until`: each shard stops at its first record past it, or caught up once it is behind us. */
  until?: UntilPoint;
  emit: (event: ReaderEvent) => void;
  /** Whether the shard is still this reader's (a consumer group's lease): asked before every read. */
  holds?: (shardId: string) => boolean;
  /** Children's iterators taken while their parent is read. */
  prefetch?: IteratorPrefetch;
}

/**
 * One shard from its start to its end: an iterator, then GetRecords pages into the handover, in
 * order, one page waiting at most. A closed shard ends at a null NextShardIterator; an open one
 * is polled while following, and otherwise counts as read once it is at its tip.
 */
export class ShardReadLoop {
  constructor(private readonly settings: ShardReadSettings) {}

  async read(shardId: string, entry: ShardEntry): Promise<void> {
    if (entry.start.skip) return;
    const { calls, recovery, pages, lineage, signal, pageSize, follow, until } = this.settings;
    const progress: ShardProgress = { startedAt: entry.start.position, origin: entry.start.position, lastRead: undefined, emptyReopens: 0 };
    this.settings.emit({ type: 'shard-start', shardId, from: describeStartPosition(progress.startedAt) });
    let { iterator, below } = await this.open(shardId, progress);
    for (const child of lineage.pendingChildren(shardId)) this.settings.prefetch?.prefetch(child);
    let parentChecks = 0;
    let emptyPages = 0;
    let handedOver: Promise<void> | undefined;
    const mine = (): boolean => this.settings.holds?.(shardId) ?? true;
    while (iterator && !signal.aborted && mine()) {
      if (handedOver) {
        await handedOver;
        handedOver = undefined;
        if (signal.aborted) return;
      }
      if (iterator === GONE) {
        // Aged out of the stream with records unread (the loss is reported): on to the children.
        await lineage.shardEnded(shardId, entry);
        return;
      }
      const current = iterator;
      const release = await this.settings.slots.acquire();
      let page: GetRecordsCommandOutput | undefined;
      try {
        page = await calls.records(current, pageSize);
      } catch (error) {
        release();
        iterator = await recovery.afterFailedRead(shardId, error, progress);
        continue;
      }
      if (!page || !mine()) {
        // Stopped, or the shard was taken while the call was out: its new owner reads this page.
        release();
        return;
      }
      recovery.notePage(shardId, page.Records?.[0]?.dynamodb?.SequenceNumber);
      let records = this.toRecords(page, shardId);
      if (records.length) {
        entry.lastRead = progress.lastRead = records[records.length - 1]!.sequenceNumber;
        progress.emptyReopens = 0;
      }
      if (below && records.length) {
        records = dropBelow(records, below);
        // Numbers only grow within a shard: once one passes, all later ones do.
        if (records.length) below = undefined;
      }
      const next = page.NextShardIterator;
      const parentShardId = entry.shard.ParentShardId;
      const batchBase = parentShardId ? { shardId, parentShardId } : { shardId };

      if (until?.reachedBy(records)) {
        // The records up to the point go out (the selection cuts the rest); the shard is done there.
        await pages.handLast({ ...batchBase, records, end: false, caughtUp: true });
        release();
        lineage.shardStopped(shardId, entry);
        return;
      }
      if (!next) {
        // Closed and fully read. The last page may still carry records: hand them over first.
        await pages.handLast({ ...batchBase, records, end: true, caughtUp: true });
        release();
        await lineage.shardEnded(shardId, entry);
        return;
      }
      const caughtUp = records.length < pageSize;
      if (records.length) {
        const handover = pages.hand({ ...batchBase, records, end: false, caughtUp });
        await handover.queued;
        handedOver = handover.taken;
      }
      release();
      iterator = next;

      emptyPages = records.length === 0 ? emptyPages + 1 : 0;
      if (records.length === 0) {
        // Lag is measured by the consumer: it needs to know the shard is at its tip, not behind.
        this.settings.emit({ type: 'shard-tip', shardId, ...(progress.lastRead ? { through: progress.lastRead } : {}) });
        if (!follow) {
          if (lineage.hasListedChildren(shardId) && parentChecks++ < PARENT_CLOSE_CHECKS) {
            // Children are listed but this shard looks open: a DescribeStream race. It is closing.
            await lineage.describe();
            await sleep(this.settings.pollMs, signal);
            continue;
          }
          // An empty page mid-shard is about where the iterator points, not about time: follow
          // NextShardIterator at once (3 quick calls stay under the 5 reads/s a shard allows).
          if (emptyPages < EMPTY_PAGES_AT_TIP) continue;
          entry.state = 'at-tip';
          return;
        }
        // Caught up by the same rule as without follow, as one empty page can be mid-shard.
        if (emptyPages >= EMPTY_PAGES_AT_TIP && this.settings.until?.behindUs()) {
          lineage.shardStopped(shardId, entry);
          return;
        }
        lineage.noteCaughtUp(entry);
        await sleep(this.settings.pollMs, signal);
      } else if (caughtUp && follow) {
        lineage.noteCaughtUp(entry);
        await sleep(this.settings.pollMs, signal);
      }
    }
  }

  /**
   * The shard's first iterator. A sequence number names a record of one shard: an open shard
   * that began before it but does not hold it refuses it. Such a shard is read from its start,
   * dropping the records `below` the position.
   */
  private async open(shardId: string, progress: ShardProgress): Promise<{ iterator: NextIterator; below?: SequencePosition }> {
    const { recovery } = this.settings;
    const startedAt = progress.startedAt;
    const early = await this.settings.prefetch?.take(shardId, startedAt);
    if (early) return { iterator: early };
    try {
      return { iterator: await recovery.openIterator(shardId, startedAt) };
    } catch (error) {
      if (!('sequenceNumber' in startedAt) || !isInvalidSequenceNumber(error)) throw error;
      progress.origin = { type: 'TRIM_HORIZON' };
      return { iterator: await recovery.openIterator(shardId, progress.origin), below: startedAt };
    }
  }

  private toRecords(page: GetRecordsCommandOutput, shardId: string): StreamRecord[] {
    const { streamArn, table } = this.settings;
    return (page.Records ?? []).map((record) => toStreamRecord(record, shardId, streamArn, table));
  }
}

/** The records at or after the position (AT_SEQUENCE_NUMBER), or strictly after it. */
function dropBelow(records: StreamRecord[], floor: SequencePosition): StreamRecord[] {
  return records.filter((record) => {
    const order = compareSequenceNumbers(record.sequenceNumber, floor.sequenceNumber);
    return floor.type === 'AT_SEQUENCE_NUMBER' ? order >= 0 : order > 0;
  });
}

function isInvalidSequenceNumber(error: unknown): boolean {
  const e = error as Error | undefined;
  return (e?.name === 'ValidationException' || e?.name === 'InvalidArgumentException') && /sequence ?number/i.test(e.message);
}
