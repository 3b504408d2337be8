import type { StartPosition } from './types.js';

/** Iterators live 15 minutes on DynamoDB Streams: one taken early is used well within that. */
const MAX_AGE_MS = 5 * 60_000;

/**
 * Iterators of child shards taken while their parent is still being read, so that a child
 * starts with its first GetRecords instead of a GetShardIterator after its parent ends: one call
 * less on every level of a lineage. Only for a TRIM_HORIZON start, which does not depend on where
 * the parent ends; nothing of the child is read before its parent's end. A failed early call is
 * forgotten: the child then asks as it would have, and meets the error there.
 */
export class IteratorPrefetch {
  private readonly early = new Map<string, { at: number; iterator: Promise<string | undefined> }>();

  constructor(
    private readonly fetch: (shardId: string, position: StartPosition) => Promise<string | undefined>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes the shard's TRIM_HORIZON iterator now, unless it is already on its way. */
  prefetch(shardId: string): void {
    if (this.early.has(shardId)) return;
    this.early.set(shardId, { at: this.now(), iterator: this.fetch(shardId, { type: 'TRIM_HORIZON' }).catch(() => undefined) });
  }

  /** The iterator taken early for the shard, if it starts where that one does and is fresh; once. */
  async take(shardId: string, position: StartPosition): Promise<string | undefined> {
    const entry = this.early.get(shardId);
    this.early.delete(shardId);
    if (!entry || position.type !== 'TRIM_HORIZON' || this.now() - entry.at > MAX_AGE_MS) return undefined;
    return entry.iterator;
  }
}
