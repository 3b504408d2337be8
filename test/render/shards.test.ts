import { describe, expect, it } from 'vitest';
import { buildShardTree } from '../../src/stream/shard-tree.js';
import { renderShards } from '../../src/render/shards.js';

const NOW = new Date('2026-11-26T21:00:00Z');
const shard = (id: string, parent?: string, end?: string) => ({
  ShardId: id,
  ...(parent ? { ParentShardId: parent } : {}),
  SequenceNumberRange: { StartingSequenceNumber: '100', ...(end ? { EndingSequenceNumber: end } : {}) },
});

describe('renderShards summary', () => {
  it('says "1 shard" for one shard', () => {
    const lines = renderShards(buildShardTree([shard('shardId-00000001795680000000-0a1b2c3d')]), 'table', NOW);
    expect(lines.at(-1)).toBe('1 shard: 1 open, 0 closed, lineage depth 1');
  });

  it('says "2 shards" for two', () => {
    const tree = buildShardTree([
      shard('shardId-00000001795680000000-0a1b2c3d', undefined, '200'),
      shard('shardId-00000001795694400000-1b2c3d4e', 'shardId-00000001795680000000-0a1b2c3d'),
    ]);
    expect(renderShards(tree, 'table', NOW).at(-1)).toBe('2 shards: 1 open, 1 closed, lineage depth 2');
  });
});
