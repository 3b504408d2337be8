import { afterEach, describe, expect, it } from 'vitest';
import {
  closeAll,
  expectExactlyOnce,
  expectParentsEndedBeforeChildrenOpened,
  expectParentsFirst,
  readAll,
  sequenceNumbers,
  setUp,
  storedSequenceNumbers,
} from './harness.js';

afterEach(closeAll);

describe('reader: lineage', () => {
  it('reads a parent to its end, last page included, before opening its children at TRIM_HORIZON', async () => {
    const h = await setUp(1);
    const parent = h.fake.shardsOf(h.streamArn)[0]!.shardId;
    h.fake.appendGenerated(parent, { count: 10 });
    const children = h.fake.split(parent, 2);
    for (const child of children) {
      h.fake.appendGenerated(child, { count: 4 });
      h.fake.closeShard(child);
    }
    // Page size 4: the parent's last page (records 9 and 10) comes with a null NextShardIterator.
    const batches = await readAll(h.options({ pageSize: 4 }));

    const lastParentCall = h.fake.log.entries({ action: 'GetRecords', shardId: parent }).at(-1)!;
    expect(lastParentCall).toMatchObject({ shardEnd: true, records: 2 });
    const parentEnd = batches.find((b) => b.shardId === parent && b.end)!;
    expect(parentEnd.records.map((r) => r.sequenceNumber)).toEqual(storedSequenceNumbers(h.fake, parent).slice(8));
    expect(parentEnd.caughtUp).toBe(true);
    expectExactlyOnce(h.fake, batches, [parent, ...children]);
    expectParentsFirst(h.fake, batches);
    expectParentsEndedBeforeChildrenOpened(h.fake, [parent, ...children]);
    for (const batch of batches.filter((b) => b.shardId !== parent)) expect(batch.parentShardId).toBe(parent);
    expect(h.events.filter((e) => e.type === 'shard-end').map((e) => e.type === 'shard-end' && e.shardId).sort())
      .toEqual([parent, ...children].sort());
  });

  it('reads a 64-shard lineage seven levels deep: every record once, in shard order, parents first', async () => {
    const h = await setUp();
    // A binary tree of 6 levels (63 shards), and one more level under its first leaf.
    const lineage = h.fake.addLineage(h.streamArn, { depth: 6, fanout: 2, recordsPerShard: 5 });
    const [deepest] = h.fake.split(lineage.leaves[0]!, 1);
    h.fake.appendGenerated(deepest!, { count: 5 });
    for (const leaf of lineage.leaves.slice(1)) h.fake.closeShard(leaf);
    h.fake.closeShard(deepest!);
    const all = [...lineage.shards, deepest!];
    expect(all).toHaveLength(64);

    // Pages of 3: each shard ends on a page that carries records.
    const batches = await readAll(h.options({ pageSize: 3, concurrency: 8 }));
    expectExactlyOnce(h.fake, batches, all);
    expectParentsFirst(h.fake, batches);
    expectParentsEndedBeforeChildrenOpened(h.fake, all);
    expect(sequenceNumbers(batches)).toHaveLength(64 * 5);
    expect(batches.filter((b) => b.end).every((b) => b.records.length === 2)).toBe(true);
  });

  it('orders by lineage whatever order DescribeStream lists the shards in', async () => {
    const h = await setUp();
    const lineage = h.fake.addLineage(h.streamArn, { depth: 4, fanout: 2, recordsPerShard: 5, closeLeaves: true });
    h.fake.addRootShards(h.streamArn, 10, { lazy: { count: 3 }, closed: true });
    h.fake.shuffleShards(h.streamArn, 11);
    const listed = h.fake.shardsOf(h.streamArn).map((s) => s.shardId);
    expect(listed).toHaveLength(25);

    const batches = await readAll(h.options({ pageSize: 3 }));
    expectExactlyOnce(h.fake, batches, listed);
    expectParentsFirst(h.fake, batches);
    expectParentsEndedBeforeChildrenOpened(h.fake, lineage.shards);
  });

  it('takes the children of a trimmed (unlisted) parent as roots', async () => {
    const h = await setUp(1);
    const parent = h.fake.shardsOf(h.streamArn)[0]!.shardId;
    h.fake.appendGenerated(parent, { count: 5 });
    const children = h.fake.split(parent, 2);
    for (const child of children) {
      h.fake.appendGenerated(child, { count: 3 });
      h.fake.closeShard(child);
    }
    h.fake.dropShard(parent);

    const batches = await readAll(h.options());
    expectExactlyOnce(h.fake, batches, children);
    expect(h.fake.log.count({ action: 'GetShardIterator', shardId: parent })).toBe(0);
    for (const child of children) {
      expect(h.fake.log.entries({ action: 'GetShardIterator', shardId: child })[0]!.params.ShardIteratorType).toBe('TRIM_HORIZON');
    }
  });

  it('survives the DescribeStream race: children listed while the parent still takes writes', async () => {
    const h = await setUp(1);
    const parent = h.fake.shardsOf(h.streamArn)[0]!.shardId;
    h.fake.appendGenerated(parent, { count: 5 });
    // The parent looks open through three more DescribeStream answers, and takes writes meanwhile.
    const children = h.fake.split(parent, 2, { race: 3 });
    let describes = 0;
    const options = h.options({
      onEvent: (event) => {
        if (event.type !== 'describe') return;
        describes++;
        if (!h.fake.shardInfo(parent).closed) h.fake.appendGenerated(parent, { count: 2 });
      },
    });
    for (const child of children) h.fake.appendGenerated(child, { count: 3 });
    const batches = await readAll(options);

    expect(describes).toBeGreaterThanOrEqual(4);
    expect(h.fake.shardInfo(parent).recordCount).toBe(5 + 2 * 3);
    // Follow is off and the children stay open: they are read to their tip, after the parent.
    expectExactlyOnce(h.fake, batches, [parent, ...children]);
    expectParentsFirst(h.fake, batches);
    expectParentsEndedBeforeChildrenOpened(h.fake, [parent, ...children]);
  });
});
