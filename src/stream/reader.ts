import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type GetRecordsCommandOutput,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import { setMaxListeners } from 'node:events';
import { RuntimeError } from '../errors.js';
import { compareSequenceNumbers, type StreamRecord } from '../records/record.js';
import { sleep } from '../util/sleep.js';
import { AsyncQueue, Semaphore } from './async-queue.js';
import { describeWholeStream } from './describe.js';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry.js';
import { planInitialStart, type CheckpointView, type ShardStart } from './start-plan.js';
import { toStreamRecord } from './to-stream-record.js';
import type { ReaderEvent, ShardBatch, StartPosition } from './types.js';

export interface ReadStreamOptions {
  client: DynamoDBStreamsClient;
  streamArn: string;
  table: string;
  /** Where root shards begin (children always begin at TRIM_HORIZON). */
  start: StartPosition;
  /** Keep reading live; otherwise stop once closed shards are read and open ones reach their tip. */
  follow: boolean;
  /** Concurrent GetRecords/GetShardIterator calls across shards (never more than one reader per shard). */
  concurrency?: number;
  /** Wait between polls of a caught-up open shard. Lambda polls 4 times a second. */
  pollIntervalMs?: number;
  /** While following, describe the stream this often to find new shards. */
  describeIntervalMs?: number;
  /** GetRecords Limit (1–1000). */
  pageSize?: number;
  checkpoint?: CheckpointView;
  /** A checkpoint or start position older than the 24-hour retention: fail, or warn and go on. */
  onTrimmed?: 'fail' | 'skip';
  retry?: RetryPolicy;
  signal?: AbortSignal;
  onEvent?: (event: ReaderEvent) => void;
}

type ShardState = 'pending' | 'reading' | 'done' | 'at-tip';

/** A page in the queue, and how its shard reader learns that the consumer took it. */
interface QueuedPage {
  batch: ShardBatch;
  taken: () => void;
}

interface ShardEntry {
  shard: Shard;
  state: ShardState;
  start: ShardStart;
}

/** Stands for an iterator of a shard that has aged out of the stream: nothing left to read. */
const GONE = Symbol('shard gone');

// A DescribeStream can list children while it still shows their parent open. At the parent's
// tip we describe again instead of stopping, a bounded number of times.
const PARENT_CLOSE_CHECKS = 20;

// GetRecords may answer an empty page with records further on in an open shard. Without
// follow, an open shard counts as read to its tip only after this many empty pages in a row.
const EMPTY_PAGES_AT_TIP = 3;

/**
 * Every record of a stream, in lineage order: a parent shard is read to its end (null
 * NextShardIterator, its last page included) before any of its children. Pages of one shard
 * come in order; pages of different shards interleave. Never prints.
 */
export async function* readStream(options: ReadStreamOptions): AsyncGenerator<ShardBatch> {
  const reader = new StreamReader(options);
  yield* reader.batches();
}

class StreamReader {
  private readonly shards = new Map<string, ShardEntry>();
  private readonly queue: AsyncQueue<QueuedPage>;
  private readonly slots: Semaphore;
  private readonly stop = new AbortController();
  private readonly pageSize: number;
  private readonly pollMs: number;
  private readonly retry: RetryPolicy;
  /** Shard readers waiting for the consumer to take their page: a halt wakes them to stop. */
  private readonly awaitingTake = new Set<() => void>();
  private activeLoops = 0;
  private describing: Promise<void> | undefined;
  private describeAgain = false;
  private caughtUpAnnounced = false;
  /** The last DescribeStream said DISABLED (or DISABLING): no shard will open again. */
  private disabled = false;
  /**
   * Shards skipped to TRIM_HORIZON past trimmed records, and where the lost records began: the
   * warning waits for the next page, which tells where reading picks up again.
   */
  private readonly trimGaps = new Map<string, string>();

  constructor(private readonly options: ReadStreamOptions) {
    const concurrency = Math.max(1, options.concurrency ?? 16);
    // Every call in flight and every backoff sleep listens for the stop: with many shards that is
    // far more than Node's default of 10, and its leak warning would land on the user's stderr.
    setMaxListeners(0, this.stop.signal);
    this.slots = new Semaphore(concurrency);
    // Each reader hands over at most one page at a time, and the queue holds at most 16 pages
    // whatever the concurrency: the prefetch keeps GetRecords busy while the consumer writes,
    // and memory stays bounded when many shards have full pages.
    this.queue = new AsyncQueue(Math.min(concurrency * 2, 16));
    this.pageSize = options.pageSize ?? 1000;
    this.pollMs = options.pollIntervalMs ?? 250;
    this.retry = options.retry ?? DEFAULT_RETRY;
  }

  async *batches(): AsyncGenerator<ShardBatch> {
    const external = this.options.signal;
    const onAbort = (): void => this.halt();
    external?.addEventListener('abort', onAbort, { once: true });
    if (external?.aborted) return;
    try {
      await this.describe(true);
      this.reportMissingCheckpointShards();
      this.schedule();
      // Nothing to read at all (every shard finished in the checkpoint): no shard loop will end to close the queue.
      this.maybeFinish();
      if (this.options.follow) void this.describeLoop();
      for (;;) {
        const queued = await this.queue.shift();
        // After an abort, pages already queued stay undelivered: the caller asked to stop now,
        // and what it never received is not in its checkpoint, so nothing is lost.
        if (!queued || external?.aborted) break;
        queued.taken();
        yield queued.batch;
      }
    } finally {
      external?.removeEventListener('abort', onAbort);
      this.halt();
    }
  }

  private halt(): void {
    this.stop.abort();
    this.queue.close();
    for (const wake of this.awaitingTake) wake();
    this.awaitingTake.clear();
  }

  private get signal(): AbortSignal {
    return this.stop.signal;
  }

  private emit(event: ReaderEvent): void {
    this.options.onEvent?.(event);
  }

  private async call<T>(fn: () => Promise<T>): Promise<T | undefined> {
    return withRetry(fn, this.retry, {
      onBackoff: (reason, delayMs, attempt) => this.emit({ type: 'backoff', reason, delayMs, attempt }),
      onRecovered: () => this.emit({ type: 'recovered' }),
    }, this.signal).catch((error: unknown) => {
      throw translateFatal(error, this.options.streamArn);
    });
  }

  /** One DescribeStream (all pages) at a time; a request during one runs once more after it. */
  private describe(initial = false): Promise<void> {
    if (this.describing) {
      this.describeAgain = true;
      return this.describing;
    }
    this.describing = (async () => {
      do {
        this.describeAgain = false;
        const described = await this.call(() => describeWholeStream(this.options.client, this.options.streamArn, this.signal));
        if (!described) return;
        this.merge(described.shards, initial);
        const status = described.description.StreamStatus;
        this.disabled = status === 'DISABLED' || status === 'DISABLING';
      } while (this.describeAgain && !this.signal.aborted);
    })().finally(() => {
      this.describing = undefined;
    });
    return this.describing;
  }

  private merge(listed: Shard[], initial: boolean): void {
    const byId = new Map(listed.map((shard) => [shard.ShardId, shard]));
    for (const shard of listed) {
      const id = shard.ShardId;
      if (!id) continue;
      const known = this.shards.get(id);
      if (known) {
        known.shard = shard; // an ending sequence number may have appeared
        continue;
      }
      const start: ShardStart = initial
        ? planInitialStart(shard, this.options.start, this.options.checkpoint, shard.ParentShardId ? byId.get(shard.ParentShardId) : undefined)
        : { skip: false, position: { type: 'TRIM_HORIZON' } };
      this.shards.set(id, { shard, start, state: start.skip ? 'done' : 'pending' });
    }
    let open = 0;
    for (const entry of this.shards.values()) if (entry.shard.SequenceNumberRange?.EndingSequenceNumber === undefined) open++;
    this.emit({ type: 'describe', shards: this.shards.size, open, closed: this.shards.size - open });
  }

  /** Shards the checkpoint was still reading that are gone: their unread records are lost. */
  private reportMissingCheckpointShards(): void {
    const checkpoint = this.options.checkpoint;
    for (const id of checkpoint?.shardIds() ?? []) {
      // A finished shard aging out of the stream is the normal course of things.
      if (!this.shards.has(id) && !checkpoint?.position(id)?.finished) this.emit({ type: 'checkpoint-shard-missing', shardId: id });
    }
  }

  /** Start every pending shard whose parent is finished or not listed (trimmed: a root). */
  private schedule(): void {
    if (this.signal.aborted) return;
    for (const [id, entry] of this.shards) {
      if (entry.state !== 'pending') continue;
      const parentId = entry.shard.ParentShardId;
      const parent = parentId ? this.shards.get(parentId) : undefined;
      if (parent && parent.state !== 'done') continue;
      entry.state = 'reading';
      this.activeLoops++;
      void this.readShard(id, entry)
        .catch((error: unknown) => this.queue.fail(error))
        .finally(() => {
          this.activeLoops--;
          this.maybeFinish();
        });
    }
  }

  private maybeFinish(): void {
    if (this.activeLoops > 0 || this.describing) return;
    if (!this.options.follow) {
      this.queue.close();
      return;
    }
    // A disabled stream takes no more writes: once every shard is read to its end, following
    // it would wait forever for nothing.
    if (this.disabled && [...this.shards.values()].every((entry) => entry.state === 'done')) {
      const table = this.options.table;
      this.queue.fail(new RuntimeError(
        `the stream is disabled (${this.options.streamArn}): every record it holds has been read and no more will come. Run \`ddbstream streams --table ${table}\` to find the table's current stream.`,
      ));
    }
  }

  private async describeLoop(): Promise<void> {
    const interval = this.options.describeIntervalMs ?? 10_000;
    while (!this.signal.aborted) {
      await sleep(interval, this.signal);
      if (this.signal.aborted) return;
      try {
        await this.describe();
        this.schedule();
        this.maybeFinish();
      } catch (error) {
        this.queue.fail(error);
        return;
      }
    }
  }

  private async readShard(shardId: string, entry: ShardEntry): Promise<void> {
    if (entry.start.skip) return;
    const startedAt = entry.start.position;
    let origin = startedAt;
    let lastSequence: string | undefined;
    const resume = (): StartPosition =>
      lastSequence ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: lastSequence } : origin;

    this.emit({ type: 'shard-start', shardId, from: describePosition(startedAt) });
    // Records before a start position that the service would not take for this shard.
    let below: Extract<StartPosition, { sequenceNumber: string }> | undefined;
    let iterator: string | typeof GONE | undefined;
    try {
      iterator = await this.iterator(shardId, startedAt);
    } catch (error) {
      if (!('sequenceNumber' in startedAt) || !isInvalidSequenceNumber(error)) throw error;
      // A sequence number names a record of one shard. An open shard that began before it
      // but does not hold it refuses it: read that shard from its start, dropping what
      // comes before the position.
      below = startedAt;
      origin = { type: 'TRIM_HORIZON' };
      iterator = await this.iterator(shardId, origin);
    }
    let parentChecks = 0;
    let emptyPages = 0;
    // At most one page of this shard waits in the queue: the next GetRecords starts once the
    // consumer takes it, so fetching still overlaps writing, but a fast shard cannot pile up
    // pages (each a few MB of SDK objects) that outlive the young generation.
    let handedOver: Promise<void> | undefined;
    while (iterator && !this.signal.aborted) {
      if (handedOver) {
        await handedOver;
        handedOver = undefined;
        if (this.signal.aborted) return;
      }
      if (iterator === GONE) {
        // Aged out of the stream with records unread (the loss is reported): on to the children.
        await this.shardEnded(shardId, entry);
        return;
      }
      const current = iterator;
      const release = await this.slots.acquire();
      let page: GetRecordsCommandOutput | undefined;
      try {
        page = await this.call(() =>
          this.options.client.send(new GetRecordsCommand({ ShardIterator: current, Limit: this.pageSize }), { abortSignal: this.signal }),
        );
      } catch (error) {
        release();
        if ((error as Error).name === 'ExpiredIteratorException') {
          // After a laptop sleep or a long handler: carry on right after the last record read.
          this.emit({ type: 'iterator-expired', shardId });
          iterator = await this.iterator(shardId, resume());
          continue;
        }
        if (isTrimmed(error) || (await this.isShardGone(shardId, error))) {
          // The records under the iterator, or the whole shard, aged out while we read it.
          iterator = await this.afterTrim(shardId, {
            where: `the position after ${lastSequence ?? describePosition(startedAt)}`,
            lost: lastSequence ? `after sequence number ${lastSequence}` : `from where this run began (${describePosition(startedAt)})`,
          }, error);
          continue;
        }
        throw error;
      }
      if (!page) {
        release();
        return;
      }
      const gap = this.trimGaps.get(shardId);
      if (gap !== undefined) {
        this.trimGaps.delete(shardId);
        this.emit({ type: 'trimmed', shardId, message: trimNotice(gap, page.Records?.[0]?.dynamodb?.SequenceNumber) });
      }
      let records: StreamRecord[] = (page.Records ?? []).map((r) =>
        toStreamRecord(r, shardId, this.options.streamArn, this.options.table));
      if (records.length) lastSequence = records[records.length - 1]!.sequenceNumber;
      if (below && records.length) {
        const floor = below;
        records = records.filter((r) => {
          const order = compareSequenceNumbers(r.sequenceNumber, floor.sequenceNumber);
          return floor.type === 'AT_SEQUENCE_NUMBER' ? order >= 0 : order > 0;
        });
        // Numbers only grow within a shard: once one passes, all later ones do.
        if (records.length) below = undefined;
      }
      const next = page.NextShardIterator;
      const parentShardId = entry.shard.ParentShardId;
      const batchBase = parentShardId ? { shardId, parentShardId } : { shardId };

      if (!next) {
        // Closed and fully read. The last page may still carry records: hand them over first.
        await this.queue.push({ batch: { ...batchBase, records, end: true, caughtUp: true }, taken: () => {} });
        release();
        await this.shardEnded(shardId, entry);
        return;
      }
      const caughtUp = records.length < this.pageSize;
      if (records.length) {
        let taken!: () => void;
        handedOver = new Promise<void>((resolve) => {
          taken = () => {
            this.awaitingTake.delete(taken);
            resolve();
          };
        });
        this.awaitingTake.add(taken);
        await this.queue.push({ batch: { ...batchBase, records, end: false, caughtUp }, taken });
      }
      release();
      iterator = next;

      emptyPages = records.length === 0 ? emptyPages + 1 : 0;
      if (records.length === 0) {
        if (!this.options.follow) {
          if (this.hasListedChildren(shardId) && parentChecks++ < PARENT_CLOSE_CHECKS) {
            // Children are listed but this shard looks open: a DescribeStream race. It is closing.
            await this.describe();
            await sleep(this.pollMs, this.signal);
            continue;
          }
          // An empty page mid-shard is about where the iterator points, not about time: follow
          // NextShardIterator at once (3 quick calls stay under the 5 reads/s a shard allows).
          if (emptyPages < EMPTY_PAGES_AT_TIP) continue;
          entry.state = 'at-tip';
          return;
        }
        this.noteCaughtUp(entry);
        await sleep(this.pollMs, this.signal);
      } else if (caughtUp && this.options.follow) {
        this.noteCaughtUp(entry);
        await sleep(this.pollMs, this.signal);
      }
    }
  }

  /** Nothing more to read in this shard: its children may start, and may be new to us. */
  private async shardEnded(shardId: string, entry: ShardEntry): Promise<void> {
    entry.state = 'done';
    this.emit({ type: 'shard-end', shardId });
    // Children listed already start now rather than after a DescribeStream round trip
    // (one per level of the lineage otherwise); the describe still finds any not yet listed.
    this.schedule();
    await this.describe().catch((error: unknown) => this.queue.fail(error));
    this.schedule();
  }

  private noteCaughtUp(entry: ShardEntry): void {
    entry.state = entry.state === 'reading' ? 'at-tip' : entry.state;
    if (this.caughtUpAnnounced) return;
    for (const e of this.shards.values()) if (e.state === 'reading' || e.state === 'pending') return;
    this.caughtUpAnnounced = true;
    this.emit({ type: 'caught-up' });
  }

  private hasListedChildren(shardId: string): boolean {
    for (const entry of this.shards.values()) if (entry.shard.ParentShardId === shardId) return true;
    return false;
  }

  private async iterator(shardId: string, position: StartPosition): Promise<string | typeof GONE | undefined> {
    try {
      const result = await this.bounded(() => this.call(this.requestIterator(shardId, position)));
      return result?.ShardIterator;
    } catch (error) {
      if (await this.isShardGone(shardId, error)) {
        const where = `the records from ${describePosition(position)}`;
        return this.afterTrim(shardId, { where, lost: where }, error, true);
      }
      if (!isTrimmed(error) || position.type === 'TRIM_HORIZON' || position.type === 'LATEST') throw error;
      return this.afterTrim(shardId, {
        where: `sequence number ${position.sequenceNumber}`,
        lost: `${position.type === 'AFTER_SEQUENCE_NUMBER' ? 'after' : 'from'} sequence number ${position.sequenceNumber}`,
      }, error);
    }
  }

  private requestIterator(shardId: string, position: StartPosition) {
    return () =>
      this.options.client.send(
        new GetShardIteratorCommand({
          StreamArn: this.options.streamArn,
          ShardId: shardId,
          ShardIteratorType: position.type,
          ...('sequenceNumber' in position ? { SequenceNumber: position.sequenceNumber } : {}),
        }),
        { abortSignal: this.signal },
      );
  }

  /**
   * A position past the 24-hour retention: stop with advice, or (--on-trimmed skip) go on at
   * TRIM_HORIZON, or with the shard's children when the whole shard has aged out (`gone`).
   */
  private async afterTrim(
    shardId: string,
    { where, lost }: { where: string; lost: string },
    error: unknown,
    gone = false,
  ): Promise<string | typeof GONE | undefined> {
    if (this.options.onTrimmed !== 'skip') {
      throw new RuntimeError(
        `shard ${shardId}: ${where} ${gone ? 'aged out of the stream (24 h) before they were read' : 'is older than the stream keeps (24 h) and has been trimmed'}. Rerun with --on-trimmed skip to continue from the oldest record still there (the records in between are lost).`,
        { cause: error },
      );
    }
    if (gone) {
      this.emitGone(shardId, where);
      return GONE;
    }
    try {
      const result = await this.bounded(() => this.call(this.requestIterator(shardId, { type: 'TRIM_HORIZON' })));
      this.trimGaps.set(shardId, lost);
      return result?.ShardIterator;
    } catch (next) {
      // Nothing left at all: the shard itself has gone the same way.
      if (await this.isShardGone(shardId, next)) {
        this.emitGone(shardId, where);
        return GONE;
      }
      throw next;
    }
  }

  private emitGone(shardId: string, where: string): void {
    this.emit({
      type: 'trimmed',
      shardId,
      message: `${where} aged out of the stream with the whole shard before they were read; they are lost. Continuing with its children`,
    });
  }

  /**
   * ResourceNotFoundException names the stream or the shard. Describe to tell which: a stream
   * that is gone fails here with its own message; a shard missing from a live stream aged out.
   */
  private async isShardGone(shardId: string, error: unknown): Promise<boolean> {
    const original = error instanceof RuntimeError ? error.cause : error;
    if ((original as Error | undefined)?.name !== 'ResourceNotFoundException') return false;
    const described = await this.call(() => describeWholeStream(this.options.client, this.options.streamArn, this.signal));
    return described !== undefined && !described.shards.some((shard) => shard.ShardId === shardId);
  }

  /**
   * GetShardIterator takes a slot like GetRecords: at start every shard wants an iterator, and
   * hundreds of calls at once would only be throttled.
   */
  private async bounded<T>(call: () => Promise<T>): Promise<T> {
    const release = await this.slots.acquire();
    try {
      return await call();
    } finally {
      release();
    }
  }
}

function isTrimmed(error: unknown): boolean {
  const e = error as Error & { cause?: unknown };
  return e?.name === 'TrimmedDataAccessException' || (e?.cause as Error | undefined)?.name === 'TrimmedDataAccessException';
}

function isInvalidSequenceNumber(error: unknown): boolean {
  const e = error as Error | undefined;
  return (e?.name === 'ValidationException' || e?.name === 'InvalidArgumentException') && /sequence ?number/i.test(e.message);
}

/** What --on-trimmed skip lost, as far as DynamoDB lets anyone know: where it begins and ends. */
function trimNotice(lost: string, resumedAt: string | undefined): string {
  const continuing = resumedAt ? `sequence number ${resumedAt}, the oldest record still kept` : 'TRIM_HORIZON';
  return `the records ${lost} were trimmed (older than the stream keeps, 24 h) before they were read; continuing at ${continuing}. ` +
    'The records in between are lost (DynamoDB does not say how many).';
}

function describePosition(position: StartPosition): string {
  return 'sequenceNumber' in position ? `${position.type} ${position.sequenceNumber}` : position.type;
}

/** Errors that end a run, in words the user can act on. The original stays as the cause. */
function translateFatal(error: unknown, streamArn: string): unknown {
  const name = (error as Error)?.name;
  if (name === 'ResourceNotFoundException') {
    return new RuntimeError(
      `the stream is gone (${streamArn}): the table was deleted or its stream disabled and expired. Run \`ddbstream streams\` to see what exists.`,
      { cause: error },
    );
  }
  return error;
}
