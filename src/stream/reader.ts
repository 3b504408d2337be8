import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type GetRecordsCommandOutput,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import { setMaxListeners } from 'node:events';
import { RuntimeError } from '../errors.js';
import type { StreamRecord } from '../records/record.js';
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
  /** Concurrent GetRecords calls across shards (never more than one reader per shard). */
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

interface ShardEntry {
  shard: Shard;
  state: ShardState;
  start: ShardStart;
}

// A DescribeStream can list children while it still shows their parent open. At the parent's
// tip we describe again instead of stopping, a bounded number of times.
const PARENT_CLOSE_CHECKS = 20;

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
  private readonly queue: AsyncQueue<ShardBatch>;
  private readonly slots: Semaphore;
  private readonly stop = new AbortController();
  private readonly pageSize: number;
  private readonly pollMs: number;
  private readonly retry: RetryPolicy;
  private activeLoops = 0;
  private describing: Promise<void> | undefined;
  private describeAgain = false;
  private caughtUpAnnounced = false;

  constructor(private readonly options: ReadStreamOptions) {
    const concurrency = Math.max(1, options.concurrency ?? 16);
    // Every call in flight and every backoff sleep listens for the stop: with many shards that is
    // far more than Node's default of 10, and its leak warning would land on the user's stderr.
    setMaxListeners(0, this.stop.signal);
    this.slots = new Semaphore(concurrency);
    // Room for every reader to hand over one page and fetch the next: that prefetch keeps
    // GetRecords busy while the consumer writes, and still bounds memory.
    this.queue = new AsyncQueue(concurrency * 2);
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
        const batch = await this.queue.shift();
        if (!batch) break;
        yield batch;
      }
    } finally {
      external?.removeEventListener('abort', onAbort);
      this.halt();
    }
  }

  private halt(): void {
    this.stop.abort();
    this.queue.close();
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
      } while (this.describeAgain && !this.signal.aborted);
    })().finally(() => {
      this.describing = undefined;
    });
    return this.describing;
  }

  private merge(listed: Shard[], initial: boolean): void {
    for (const shard of listed) {
      const id = shard.ShardId;
      if (!id) continue;
      const known = this.shards.get(id);
      if (known) {
        known.shard = shard; // an ending sequence number may have appeared
        continue;
      }
      const start: ShardStart = initial
        ? planInitialStart(shard, this.options.start, this.options.checkpoint)
        : { skip: false, position: { type: 'TRIM_HORIZON' } };
      this.shards.set(id, { shard, start, state: start.skip ? 'done' : 'pending' });
    }
    let open = 0;
    for (const entry of this.shards.values()) if (entry.shard.SequenceNumberRange?.EndingSequenceNumber === undefined) open++;
    this.emit({ type: 'describe', shards: this.shards.size, open, closed: this.shards.size - open });
  }

  private reportMissingCheckpointShards(): void {
    for (const id of this.options.checkpoint?.shardIds() ?? []) {
      if (!this.shards.has(id)) this.emit({ type: 'checkpoint-shard-missing', shardId: id });
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
    if (this.options.follow || this.activeLoops > 0 || this.describing) return;
    this.queue.close();
  }

  private async describeLoop(): Promise<void> {
    const interval = this.options.describeIntervalMs ?? 10_000;
    while (!this.signal.aborted) {
      await sleep(interval, this.signal);
      if (this.signal.aborted) return;
      try {
        await this.describe();
        this.schedule();
      } catch (error) {
        this.queue.fail(error);
        return;
      }
    }
  }

  private async readShard(shardId: string, entry: ShardEntry): Promise<void> {
    if (entry.start.skip) return;
    const startedAt = entry.start.position;
    let lastSequence: string | undefined;
    const resume = (): StartPosition =>
      lastSequence ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: lastSequence } : startedAt;

    this.emit({ type: 'shard-start', shardId, from: describePosition(startedAt) });
    let iterator = await this.iterator(shardId, startedAt);
    let parentChecks = 0;
    while (iterator && !this.signal.aborted) {
      const release = await this.slots.acquire();
      let page: GetRecordsCommandOutput | undefined;
      try {
        page = await this.call(() =>
          this.options.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: this.pageSize }), { abortSignal: this.signal }),
        );
      } catch (error) {
        release();
        if ((error as Error).name === 'ExpiredIteratorException') {
          // After a laptop sleep or a long handler: carry on right after the last record read.
          this.emit({ type: 'iterator-expired', shardId });
          iterator = await this.iterator(shardId, resume());
          continue;
        }
        if (isTrimmed(error)) {
          // The records under the iterator aged out while we were reading this shard.
          iterator = await this.afterTrim(shardId, `the position after ${lastSequence ?? describePosition(startedAt)}`, error, () =>
            this.options.client.send(
              new GetShardIteratorCommand({ StreamArn: this.options.streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
              { abortSignal: this.signal },
            ));
          continue;
        }
        throw error;
      }
      if (!page) {
        release();
        return;
      }
      const records: StreamRecord[] = (page.Records ?? []).map((r) =>
        toStreamRecord(r, shardId, this.options.streamArn, this.options.table));
      if (records.length) lastSequence = records[records.length - 1]!.sequenceNumber;
      const next = page.NextShardIterator;
      const parentShardId = entry.shard.ParentShardId;
      const batchBase = parentShardId ? { shardId, parentShardId } : { shardId };

      if (!next) {
        // Closed and fully read. The last page may still carry records: hand them over first.
        await this.queue.push({ ...batchBase, records, end: true, caughtUp: true });
        release();
        entry.state = 'done';
        this.emit({ type: 'shard-end', shardId });
        await this.describe().catch((error: unknown) => this.queue.fail(error));
        this.schedule();
        return;
      }
      const caughtUp = records.length < this.pageSize;
      if (records.length) await this.queue.push({ ...batchBase, records, end: false, caughtUp });
      release();
      iterator = next;

      if (records.length === 0) {
        if (!this.options.follow) {
          if (this.hasListedChildren(shardId) && parentChecks++ < PARENT_CLOSE_CHECKS) {
            // Children are listed but this shard looks open: a DescribeStream race. It is closing.
            await this.describe();
            await sleep(this.pollMs, this.signal);
            continue;
          }
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

  private async iterator(shardId: string, position: StartPosition): Promise<string | undefined> {
    const request = (p: StartPosition) => () =>
      this.options.client.send(
        new GetShardIteratorCommand({
          StreamArn: this.options.streamArn,
          ShardId: shardId,
          ShardIteratorType: p.type,
          ...('sequenceNumber' in p ? { SequenceNumber: p.sequenceNumber } : {}),
        }),
        { abortSignal: this.signal },
      );
    try {
      const result = await this.call(request(position));
      return result?.ShardIterator;
    } catch (error) {
      if (!isTrimmed(error) || position.type === 'TRIM_HORIZON' || position.type === 'LATEST') throw error;
      return this.afterTrim(shardId, `sequence number ${position.sequenceNumber}`, error, request({ type: 'TRIM_HORIZON' }));
    }
  }

  /** A position past the 24-hour retention: stop with advice, or (--on-trimmed skip) go on at TRIM_HORIZON. */
  private async afterTrim(
    shardId: string,
    where: string,
    error: unknown,
    trimHorizon: () => Promise<{ ShardIterator?: string }>,
  ): Promise<string | undefined> {
    if (this.options.onTrimmed !== 'skip') {
      throw new RuntimeError(
        `shard ${shardId}: ${where} is older than the stream keeps (24 h) and has been trimmed. Rerun with --on-trimmed skip to continue from the oldest record still there (the records in between are lost).`,
        { cause: error },
      );
    }
    this.emit({ type: 'trimmed', shardId, message: `${where} was trimmed; continuing at TRIM_HORIZON` });
    const result = await this.call(trimHorizon);
    return result?.ShardIterator;
  }
}

function isTrimmed(error: unknown): boolean {
  const e = error as Error & { cause?: unknown };
  return e?.name === 'TrimmedDataAccessException' || (e?.cause as Error | undefined)?.name === 'TrimmedDataAccessException';
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
