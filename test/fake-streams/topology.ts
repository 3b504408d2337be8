import type { RecordGenerator } from './records.js';
import type { ShardSpec, StreamsState } from './state.js';

/** `count` new root shards (e.g. 250, to need three DescribeStream pages). */
export function addRootShards(
  state: StreamsState,
  streamArn: string,
  count: number,
  spec: Omit<ShardSpec, 'parentShardId'> = {},
): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(state.addShard(streamArn, spec));
  return ids;
}

export interface LineageOptions {
  /** Levels, root included. */
  depth: number;
  /** Children per shard: 1 = a chain of rollovers (depth shards), 2 = a binary tree (2^depth - 1). Default 1. */
  fanout?: number;
  /** Generated records in each shard (lazy). Default 0. */
  recordsPerShard?: number;
  generate?: RecordGenerator;
  /** Close the last level too (the whole lineage is then finite). Default false. */
  closeLeaves?: boolean;
  /** Grow under this existing open shard instead of a new root. */
  rootShardId?: string;
}

export interface Lineage {
  root: string;
  /** Every shard, parents before children. */
  shards: string[];
  leaves: string[];
}

/** A tree of shards: every shard but the leaves closed and full, the way a long-lived stream looks. */
export function addLineage(state: StreamsState, streamArn: string, options: LineageOptions): Lineage {
  const fanout = options.fanout ?? 1;
  const lazy = () => (options.recordsPerShard ? { count: options.recordsPerShard, generate: options.generate } : undefined);
  const root = options.rootShardId ?? state.addShard(streamArn);
  const shards = [root];
  if (options.rootShardId === undefined) fill(state, root, lazy());
  let level = [root];
  for (let d = 1; d < options.depth; d++) {
    const next: string[] = [];
    for (const parent of level) {
      for (const child of state.split(parent, fanout)) {
        fill(state, child, lazy());
        next.push(child);
      }
    }
    shards.push(...next);
    level = next;
  }
  if (options.closeLeaves) for (const leaf of level) state.closeShard(leaf);
  return { root, shards, leaves: level };
}

function fill(state: StreamsState, shardId: string, lazy: { count: number; generate?: RecordGenerator } | undefined): void {
  if (lazy) state.appendGenerated(shardId, lazy);
}
