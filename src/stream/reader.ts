import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { setMaxListeners } from 'node:events';
import { Semaphore } from './async-queue.js';
import { ChildShards } from './child-shards.js';
import { PageHandover } from './page-handover.js';
import { IteratorPrefetch } from './iterator-prefetch.js';
import { ReaderCalls } from './reader-calls.js';
import { DEFAULT_RETRY, type RetryPolicy } from './retry.js';
import { ShardLineage } from './shard-lineage.js';
import { ShardReadLoop } from './shard-read-loop.js';
import { readAssignedShard } from './assigned-shard.js';
import type { ShardAssignment } from './shard-assignment.js';
import type { CheckpointView } from './start-plan.js';
import type { UntilSpec } from './position.js';
import { TrimRecovery } from './trim-recovery.js';
import { UntilPoint } from './until-point.js';
import type { ReaderEvent, ShardBatch, StartPosition } from './types.js';

export interface ReadStreamOptions {
  client: DynamoDBStreamsClient;
  streamArn: string;
  table: string;
  /** Where root shards begin (children always begin at TRIM_HORIZON). */
  start: StartPosition;
  /** Keep reading live; otherwise stop once closed shards are read and open ones reach their tip. */
  follow: boolean;
  /**
   * `--until`: each shard stops at its first record past it; following, a caught-up shard also
   * stops once the point is behind us, and the run ends when no shard is left reading.
   */
  until?: UntilSpec;
  /** Concurrent GetRecords/GetShardIterator calls across shards (never more than one reader per shard). */
  concurrency?: number;
  /** Wait between polls of a caught-up open shard. Lambda polls 4 times a second. */
  pollIntervalMs?: number;
  /** While following, describe the stream this often to find new shards. */
  describeIntervalMs?: number;
  /** Following: waits between asking again for the children of an ended shard that lists none yet. */
  childRetryDelaysMs?: readonly number[];
  /** GetRecords Limit (1–1000). */
  pageSize?: number;
  checkpoint?: CheckpointView;
  /** A checkpoint or start position older than the 24-hour retention: fail, or warn and go on. */
  onTrimmed?: 'fail' | 'skip';
  retry?: RetryPolicy;
  signal?: AbortSignal;
  onEvent?: (event: ReaderEvent) => void;
  /** Share the stream with other readers: read only the shards the assignment hands over. */
  assignment?: ShardAssignment;
}

/**
 * Every record of a stream, in lineage order: a parent shard is read to its end (null
 * NextShardIterator, its last page included) before any of its children. Pages of one shard
 * come in order; pages of different shards interleave. Never prints; fails with the typed
 * errors of `./errors.ts` (or what the service said, when nothing here knows better).
 *
 * The work is shared out: ShardLineage decides which shards may be read, ShardReadLoop reads
 * one, TrimRecovery gets an iterator back when time took it away; the pages meet here.
 */
export async function* readStream(options: ReadStreamOptions): AsyncGenerator<ShardBatch> {
  const external = options.signal;
  if (external?.aborted) return;
  const stop = new AbortController();
  // Every call in flight and every backoff sleep listens for the stop: with many shards that is
  // far more than Node's default of 10, and its leak warning would land on the user's stderr.
  setMaxListeners(0, stop.signal);
  const concurrency = Math.max(1, options.concurrency ?? 16);
  // Each reader hands over at most one page at a time, and the queue holds at most 16 pages
  // whatever the concurrency: the prefetch keeps GetRecords busy while the consumer writes,
  // and memory stays bounded when many shards have full pages.
  const pages = new PageHandover(Math.min(concurrency * 2, 16));
  const halt = (): void => {
    stop.abort();
    pages.halt();
  };
  const lineage = startLineage(options, stop.signal, pages, new Semaphore(concurrency));

  external?.addEventListener('abort', halt, { once: true });
  try {
    await lineage.begin();
    yield* pages.pages(external);
  } finally {
    external?.removeEventListener('abort', halt);
    halt();
  }
}

/** The lineage, with the shard reader it starts and the calls both make, wired to one stop. */
function startLineage(options: ReadStreamOptions, signal: AbortSignal, pages: PageHandover, slots: Semaphore): ShardLineage {
  const { client, streamArn, table, follow, assignment } = options;
  const emit = (event: ReaderEvent): void => options.onEvent?.(event);
  const until = options.until ? new UntilPoint(options.until) : undefined;
  const retry = options.retry ?? DEFAULT_RETRY;
  const calls = new ReaderCalls({ client, streamArn, retry, slots, signal, emit });
  const children = new ChildShards({ client, streamArn, retry, signal, emit, retryDelaysMs: options.childRetryDelaysMs });
  const recovery = new TrimRecovery({ calls, streamArn, onTrimmed: options.onTrimmed ?? 'fail', emit });
  const lineage: ShardLineage = new ShardLineage({
    calls,
    children,
    pages,
    signal,
    streamArn,
    table,
    start: options.start,
    checkpoint: options.checkpoint,
    follow,
    ...(until ? { until } : {}),
    describeIntervalMs: options.describeIntervalMs ?? 10_000,
    emit,
    // The lineage starts shards on the loop and the loop reports back to it: `loop` is set
    // below, long before the first shard starts.
    readShard: (shardId, entry) => assignment
      ? readAssignedShard(shardId, entry, {
        assignment,
        read: (id, e) => loop.read(id, e),
        ended: (id, e) => lineage.shardEnded(id, e),
        isListed: (id) => lineage.isListed(id),
        follow,
        signal,
      })
      : loop.read(shardId, entry),
    ...(assignment ? { assigned: true } : {}),
  });
  const loop = new ShardReadLoop({
    calls,
    recovery,
    pages,
    lineage,
    slots,
    signal,
    streamArn,
    table,
    pageSize: options.pageSize ?? 1000,
    pollMs: options.pollIntervalMs ?? 250,
    follow,
    ...(until ? { until } : {}),
    emit,
    ...(assignment ? { holds: (shardId: string) => assignment.holds(shardId) } : { prefetch: new IteratorPrefetch((id, position) => calls.iterator(id, position)) }),
  });
  return lineage;
}
