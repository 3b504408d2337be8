import type { Shard } from '@aws-sdk/client-dynamodb-streams';

export interface ShardNode {
  shard: Shard;
  shardId: string;
  parentShardId: string | undefined;
  open: boolean;
  children: ShardNode[];
  depth: number;
}

export interface ShardTree {
  roots: ShardNode[];
  byId: Map<string, ShardNode>;
  depth: number;
}

/**
 * Whether a shard still takes writes. DescribeStream gives a closed shard its ending sequence
 * number; an open one has none yet. Every open/closed decision goes through here.
 */
export function isShardOpen(shard: Shard): boolean {
  return shard.SequenceNumberRange?.EndingSequenceNumber === undefined;
}

/**
 * Lineage from a flat DescribeStream listing. A shard whose parent is not listed (trimmed) is a
 * root. Siblings are ordered by their starting sequence number, so output is stable whatever
 * order the service listed them in.
 */
export function buildShardTree(shards: readonly Shard[]): ShardTree {
  const byId = new Map<string, ShardNode>();
  for (const shard of shards) {
    if (!shard.ShardId) continue;
    byId.set(shard.ShardId, {
      shard,
      shardId: shard.ShardId,
      parentShardId: shard.ParentShardId,
      open: isShardOpen(shard),
      children: [],
      depth: 0,
    });
  }
  const roots: ShardNode[] = [];
  for (const node of byId.values()) {
    const parent = node.parentShardId ? byId.get(node.parentShardId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  let depth = 0;
  const visit = (nodes: ShardNode[], level: number): void => {
    nodes.sort(byStartingSequence);
    for (const node of nodes) {
      node.depth = level;
      depth = Math.max(depth, level + 1);
      visit(node.children, level + 1);
    }
  };
  visit(roots, 0);
  return { roots, byId, depth };
}

function byStartingSequence(a: ShardNode, b: ShardNode): number {
  const x = a.shard.SequenceNumberRange?.StartingSequenceNumber;
  const y = b.shard.SequenceNumberRange?.StartingSequenceNumber;
  if (x && y && x !== y) return BigInt(x) < BigInt(y) ? -1 : 1;
  return a.shardId < b.shardId ? -1 : a.shardId > b.shardId ? 1 : 0;
}

/** DynamoDB shard ids carry their creation time: shardId-<20-digit ms epoch>-<hex>. */
export function shardCreatedAt(shardId: string): Date | undefined {
  const match = /^shardId-(\d{13,20})-/.exec(shardId);
  if (!match) return undefined;
  const ms = Number(match[1]);
  return Number.isFinite(ms) && ms > 0 ? new Date(ms) : undefined;
}

export const RETENTION_MS = 24 * 60 * 60 * 1000;
