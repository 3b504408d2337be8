import type { StreamRecord } from '../records/record.js';

/** Where to start reading a root shard. Child shards always start at TRIM_HORIZON. */
export type StartPosition =
  | { type: 'TRIM_HORIZON' }
  | { type: 'LATEST' }
  | { type: 'AT_SEQUENCE_NUMBER'; sequenceNumber: string }
  | { type: 'AFTER_SEQUENCE_NUMBER'; sequenceNumber: string };

/** The failures worth waiting out with backoff: throttling, 5xx answers, a lost connection. */
export type RetryKind = 'throttled' | 'server-error' | 'unreachable';

/**
 * What the reader yields: one GetRecords page of one shard (possibly empty only when `end` is
 * true). Pages of one shard arrive in order; pages of different shards interleave.
 */
export interface ShardBatch {
  shardId: string;
  /** The shard's parent when it was listed: its records all came before this shard's. */
  parentShardId?: string;
  records: StreamRecord[];
  /** The shard is closed and fully read: these are its last records (null NextShardIterator). */
  end: boolean;
  /** A page short of the limit: the reader believes it is at (or near) the shard's tip. */
  caughtUp: boolean;
}

/** Progress and health notices for status displays. The reader never prints; callers may. */
export type ReaderEvent =
  | { type: 'describe'; shards: number; open: number; closed: number }
  | { type: 'shard-start'; shardId: string; from: string }
  | { type: 'shard-end'; shardId: string }
  | { type: 'caught-up' }
  /**
   * A shard answered an empty page with more to come: it is at its tip. `through` is the last
   * record read from it so far (none yet: absent), so a consumer still holding earlier pages
   * knows when it has reached the tip too.
   */
  | { type: 'shard-tip'; shardId: string; through?: string }
  | { type: 'backoff'; reason: string; delayMs: number; attempt: number }
  | { type: 'recovered' }
  | { type: 'iterator-expired'; shardId: string }
  | { type: 'trimmed'; shardId: string; message: string }
  /** A shard refused as trimmed before anything was read from it (DynamoDB Local on an empty shard), read again from TRIM_HORIZON. */
  | { type: 'empty-shard-reopened'; shardId: string; startedAt: string }
  | { type: 'checkpoint-shard-missing'; shardId: string };
