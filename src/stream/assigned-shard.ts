import type { ShardEntry } from './shard-lineage.js';
import type { ShardAssignment } from './shard-assignment.js';

export interface AssignedShardSettings {
  assignment: ShardAssignment;
  /** Reads the shard from `entry.start` until its end, its tip, or until it is no longer ours. */
  read: (shardId: string, entry: ShardEntry) => Promise<void>;
  /** The shard is finished by whoever read it: its children may be new to us. */
  ended: (shardId: string, entry: ShardEntry) => Promise<void>;
  isListed: (shardId: string) => boolean;
  /** Following, a shard is never left at its tip: the loop only returns at its end, or once it is not ours. */
  follow: boolean;
  signal: AbortSignal;
}

/**
 * One shard under an assignment: wait for the turn, read, say how the read stopped; a shard
 * taken away is waited for again (it may come back). The reader's own loop does the reading.
 */
export async function readAssignedShard(shardId: string, entry: ShardEntry, settings: AssignedShardSettings): Promise<void> {
  const { assignment, signal } = settings;
  const parentShardId = entry.shard.ParentShardId;
  const initial = entry.start;
  while (!signal.aborted) {
    const turn = await assignment.turn({
      shardId,
      ...(parentShardId ? { parentShardId } : {}),
      parentListed: parentShardId ? settings.isListed(parentShardId) : false,
      initial,
    }, signal);
    if (signal.aborted) return;
    if (!turn.read) {
      // Finished by another worker, or nothing more to read in this run.
      await settings.ended(shardId, entry);
      return;
    }
    entry.start = { skip: false, position: turn.start };
    entry.state = 'reading';
    entry.lastRead = undefined;
    await settings.read(shardId, entry);
    if (signal.aborted) return;
    // The loop leaves a state behind: done at the end, at-tip when not following, stopped at
    // --until, else it was taken.
    // (Following, at-tip only marks a shard that caught up once, for the caught-up event: a shard
    // taken from us after that must be waited for again, or it is never read here again.)
    const state = entry.state as string;
    if (state === 'done') return assignment.stopped(shardId, { how: 'end' });
    if (state === 'at-tip' && !settings.follow) return assignment.stopped(shardId, { how: 'tip', lastRead: entry.lastRead });
    // Stopped at --until: nothing more of it (or of its children) for this run, whoever reads it.
    if (state === 'stopped') return assignment.stopped(shardId, { how: 'tip', lastRead: entry.lastRead });
    await assignment.stopped(shardId, { how: 'lost', lastRead: entry.lastRead });
  }
}
