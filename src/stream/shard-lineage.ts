import type { Shard } from '@aws-sdk/client-dynamodb-streams';
import { sleep } from '../util/sleep.js';
import type { ChildShards } from './child-shards.js';
import { StreamDisabledError } from './errors.js';
import type { PageHandover } from './page-handover.js';
import type { ReaderCalls } from './reader-calls.js';
import { isShardOpen } from './shard-tree.js';
import { planInitialStart, type CheckpointView, type ShardStart } from './start-plan.js';
import type { ReaderEvent, StartPosition } from './types.js';
import type { UntilPoint } from './until-point.js';

/** `stopped`: at the `--until` point; its children hold only later records and never start. */
type ShardState = 'pending' | 'reading' | 'done' | 'at-tip' | 'stopped';

/** One shard as the lineage knows it: the latest listing of it, how far it got, where it begins. */
export interface ShardEntry {
  shard: Shard;
  state: ShardState;
  start: ShardStart;
  /** The last sequence number read from the shard, if any. */
  lastRead?: string;
}

export interface ShardLineageSettings {
  calls: ReaderCalls;
  /** Asks for the children of a shard that ended, by name. */
  children: ChildShards;
  pages: PageHandover;
  /** The reader's stop. */
  signal: AbortSignal;
  streamArn: string;
  table: string;
  /** Where root shards of the first listing begin. */
  start: StartPosition;
  checkpoint: CheckpointView | undefined;
  follow: boolean;
  /** `--until`: once it is behind us and no shard is being read, the run is over. */
  until?: UntilPoint;
  /** While following, describe the stream this often to find new shards. */
  describeIntervalMs: number;
  emit: (event: ReaderEvent) => void;
  /** Reads one shard to its end, or to its tip when not following. */
  readShard: (shardId: string, entry: ShardEntry) => Promise<void>;
  /**
   * Shards are shared with other readers (a consumer group): every listed shard is handed to
   * `readShard` at once, and the assignment, not this lineage, holds children back.
   */
  assigned?: boolean;
}

/**
 * Which shards may be read now: a shard starts once its parent is read to its end (or when its
 * parent is not listed: trimmed, so a root). DescribeStream finds the shards; when a shard ends,
 * its children are asked for by name (or, where the endpoint cannot filter, the whole stream is
 * described again); while following, the whole stream is described now and then for shards that
 * appear without a parent ending. Decides when the whole read is over.
 */
export class ShardLineage {
  private readonly shards = new Map<string, ShardEntry>();
  private activeLoops = 0;
  private describing: Promise<void> | undefined;
  private describeAgain = false;
  private caughtUpAnnounced = false;
  /** The last DescribeStream said DISABLED (or DISABLING): no shard will open again. */
  private disabled = false;

  constructor(private readonly settings: ShardLineageSettings) {}

  /** The first listing, the first shards started, and (following) the rediscovery loop. */
  async begin(): Promise<void> {
    await this.describe(true);
    this.reportMissingCheckpointShards();
    this.schedule();
    // Nothing to read at all (every shard finished in the checkpoint): no shard loop will end to close the queue.
    this.maybeFinish();
    if (this.settings.follow) void this.describeLoop();
  }

  /** One DescribeStream (all pages) at a time; a request during one runs once more after it. */
  describe(initial = false): Promise<void> {
    if (this.describing) {
      this.describeAgain = true;
      return this.describing;
    }
    this.describing = (async () => {
      do {
        this.describeAgain = false;
        const described = await this.settings.calls.describe();
        if (!described) return;
        this.merge(described.shards, initial);
        const status = described.description.StreamStatus;
        this.disabled = status === 'DISABLED' || status === 'DISABLING';
      } while (this.describeAgain && !this.settings.signal.aborted);
    })().finally(() => {
      this.describing = undefined;
    });
    return this.describing;
  }

  /** Nothing more to read in this shard: its children may start, and may be new to us. */
  async shardEnded(shardId: string, entry: ShardEntry): Promise<void> {
    entry.state = 'done';
    this.settings.emit({ type: 'shard-end', shardId });
    // Children listed already start now rather than after a DescribeStream round trip
    // (one per level of the lineage otherwise); the describe still finds any not yet listed.
    this.schedule();
    try {
      // Following, children not listed yet are waited for a little: otherwise only the periodic
      // describe would find them, seconds later.
      const children = await this.settings.children.find(shardId, this.settings.follow);
      if (children) {
        this.merge(children.shards, false);
        this.disabled = children.disabled;
      } else if (!this.settings.signal.aborted) {
        await this.describe();
      }
    } catch (error) {
      this.settings.pages.fail(error);
    }
    this.schedule();
  }

  /** The shard stopped at `--until`: it is done, and its children are never started. */
  shardStopped(shardId: string, entry: ShardEntry): void {
    entry.state = 'stopped';
    this.settings.emit({ type: 'shard-end', shardId });
  }

  /** A following shard reader reached its tip; the first time all have, say so once. */
  noteCaughtUp(entry: ShardEntry): void {
    entry.state = entry.state === 'reading' ? 'at-tip' : entry.state;
    if (this.caughtUpAnnounced) return;
    for (const e of this.shards.values()) if (e.state === 'reading' || e.state === 'pending') return;
    this.caughtUpAnnounced = true;
    this.settings.emit({ type: 'caught-up' });
  }

  isListed(shardId: string): boolean {
    return this.shards.has(shardId);
  }

  /**
   * Listed children of the shard that have not started and will begin at TRIM_HORIZON: their
   * iterators may be taken while it is read. None under an assignment (a lease decides where).
   */
  pendingChildren(shardId: string): string[] {
    if (this.settings.assigned) return [];
    const ids: string[] = [];
    for (const [id, entry] of this.shards) {
      if (entry.shard.ParentShardId === shardId && entry.state === 'pending' && !entry.start.skip && entry.start.position.type === 'TRIM_HORIZON') ids.push(id);
    }
    return ids;
  }

  hasListedChildren(shardId: string): boolean {
    for (const entry of this.shards.values()) if (entry.shard.ParentShardId === shardId) return true;
    return false;
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
      // Shards found later were created after we began: all their records are new to us.
      const start: ShardStart = initial
        ? planInitialStart(shard, this.settings.start, this.settings.checkpoint, shard.ParentShardId ? byId.get(shard.ParentShardId) : undefined)
        : { skip: false, position: { type: 'TRIM_HORIZON' } };
      // An assigned shard is handed over even when this run would skip it: its lease must say so.
      this.shards.set(id, { shard, start, state: start.skip && !this.settings.assigned ? 'done' : 'pending' });
    }
    let open = 0;
    for (const entry of this.shards.values()) if (isShardOpen(entry.shard)) open++;
    this.settings.emit({ type: 'describe', shards: this.shards.size, open, closed: this.shards.size - open });
  }

  /** Shards the checkpoint was still reading that are gone: their unread records are lost. */
  private reportMissingCheckpointShards(): void {
    const checkpoint = this.settings.checkpoint;
    for (const id of checkpoint?.shardIds() ?? []) {
      // A finished shard aging out of the stream is the normal course of things.
      if (!this.shards.has(id) && !checkpoint?.position(id)?.finished) this.settings.emit({ type: 'checkpoint-shard-missing', shardId: id });
    }
  }

  /** Start every pending shard whose parent is finished or not listed (trimmed: a root). */
  private schedule(): void {
    if (this.settings.signal.aborted) return;
    for (const [id, entry] of this.shards) {
      if (entry.state !== 'pending') continue;
      const parentId = entry.shard.ParentShardId;
      const parent = parentId ? this.shards.get(parentId) : undefined;
      if (parent && parent.state !== 'done' && !this.settings.assigned) continue;
      entry.state = 'reading';
      this.activeLoops++;
      void this.settings.readShard(id, entry)
        .catch((error: unknown) => this.settings.pages.fail(error))
        .finally(() => {
          this.activeLoops--;
          this.maybeFinish();
        });
    }
  }

  private maybeFinish(): void {
    if (this.activeLoops > 0 || this.describing) return;
    // Following with the --until point behind us, what any shard gets from now on is later.
    if (!this.settings.follow || this.settings.until?.behindUs()) {
      this.settings.pages.close();
      return;
    }
    // A disabled stream takes no more writes: once every shard is read to its end, following
    // it would wait forever for nothing.
    if (this.disabled && [...this.shards.values()].every((entry) => entry.state === 'done')) {
      this.settings.pages.fail(new StreamDisabledError(this.settings.streamArn, this.settings.table));
    }
  }

  private async describeLoop(): Promise<void> {
    const { signal, describeIntervalMs } = this.settings;
    while (!signal.aborted) {
      await sleep(describeIntervalMs, signal);
      if (signal.aborted) return;
      try {
        await this.describe();
        this.schedule();
        this.maybeFinish();
      } catch (error) {
        this.settings.pages.fail(error);
        return;
      }
    }
  }
}
