import type { Shard } from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';
import { buildShardTree, isShardOpen, shardCreatedAt } from '../../src/stream/shard-tree.js';
import { planInitialStart } from '../../src/stream/start-plan.js';

const open = (id: string, start: string, parent?: string): Shard => ({
  ShardId: id,
  ...(parent ? { ParentShardId: parent } : {}),
  SequenceNumberRange: { StartingSequenceNumber: start },
});
const closed = (id: string, start: string, end: string, parent?: string): Shard => ({
  ...open(id, start, parent),
  SequenceNumberRange: { StartingSequenceNumber: start, EndingSequenceNumber: end },
});

describe('isShardOpen', () => {
  it('calls a shard open until DescribeStream gives it an ending sequence number', () => {
    expect(isShardOpen(open('a', '100'))).toBe(true);
    expect(isShardOpen(closed('a', '100', '200'))).toBe(false);
    // A listing without any range says nothing of an end: the shard still takes writes.
    expect(isShardOpen({ ShardId: 'a' })).toBe(true);
  });

  it('is the one answer the lineage tree and the start plan give', () => {
    const shards = [closed('parent', '100', '200'), open('child', '300', 'parent')];
    const tree = buildShardTree(shards);
    expect(tree.byId.get('parent')?.open).toBe(false);
    expect(tree.byId.get('child')?.open).toBe(true);
    // LATEST skips a closed shard (it holds only the past) and starts an open one at its tip.
    expect(planInitialStart(shards[0]!, { type: 'LATEST' }, undefined)).toEqual({ skip: true });
    expect(planInitialStart(shards[1]!, { type: 'LATEST' }, undefined)).toEqual({ skip: false, position: { type: 'LATEST' } });
  });
});

describe('buildShardTree', () => {
  it('hangs children under listed parents, makes orphans roots, and orders siblings by start', () => {
    const tree = buildShardTree([
      open('c2', '500', 'p'),
      closed('p', '100', '200', 'trimmed-away'),
      open('c1', '300', 'p'),
    ]);
    expect(tree.roots.map((node) => node.shardId)).toEqual(['p']);
    expect(tree.roots[0]!.children.map((node) => [node.shardId, node.depth])).toEqual([['c1', 1], ['c2', 1]]);
    expect(tree.depth).toBe(2);
  });
});

describe('shardCreatedAt', () => {
  it('reads the creation time DynamoDB puts in a shard id', () => {
    expect(shardCreatedAt('shardId-00000001714557600000-0a1b2c3d')?.toISOString()).toBe('2024-05-01T10:00:00.000Z');
    expect(shardCreatedAt('shard-1')).toBeUndefined();
  });
});
