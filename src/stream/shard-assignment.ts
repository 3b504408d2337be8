import type { ShardStart } from './start-plan.js';
import type { StartPosition } from './types.js';

/** A shard as the reader hands it to an assignment: what the lineage knows of it. */
export interface AssignableShard {
  shardId: string;
  parentShardId?: string;
  /** The parent is in the stream's listing (a parent that is not has been trimmed: a root). */
  parentListed: boolean;
  /** Where the shard would begin without an assignment (`--from`, or TRIM_HORIZON for a new child). */
  initial: ShardStart;
}

/** Read the shard from `start`, or leave it: finished, or nothing more to read in this run. */
export type ShardTurn = { read: true; start: StartPosition } | { read: false };

/**
 * How a shard's reader stopped: at its end, at its tip (not following), or because the shard is
 * no longer its own. `lastRead`: the last sequence number it read (and handed over) from the shard.
 */
export type ShardStop = { how: 'end' } | { how: 'tip' | 'lost'; lastRead: string | undefined };

/**
 * Several processes sharing one stream: someone else decides which shards this reader may read
 * and where each begins (a consumer group's leases). The reader knows nothing more of it than
 * these three calls; without an assignment it reads every shard.
 */
export interface ShardAssignment {
  /** Waits until this reader may read the shard (it holds it and the shard's parents are finished). */
  turn(shard: AssignableShard, signal: AbortSignal): Promise<ShardTurn>;
  /** Whether the shard is still this reader's: asked before every read, so a lost shard stops at once. */
  holds(shardId: string): boolean;
  /** The reader stopped reading the shard; resolves once the assignment has taken note. */
  stopped(shardId: string, stop: ShardStop): Promise<void>;
}
