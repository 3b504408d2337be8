import { afterEach, describe, expect, it } from 'vitest';
import { StreamDisabledError } from '../../src/stream/errors.js';
import type { CallLogEntry } from '../fake-streams/index.js';
import {
  closeAll,
  expectExactlyOnce,
  expectParentsEndedBeforeChildrenOpened,
  expectParentsFirst,
  followUntil,
  readAll,
  readUntilError,
  sequenceNumbers,
  setUp,
  type Harness,
} from './harness.js';

afterEach(closeAll);

/** DescribeStream calls that named a shard in ShardFilter CHILD_SHARDS, and those that did not. */
function describes(h: Harness): { filtered: CallLogEntry[]; whole: CallLogEntry[] } {
  const all = h.fake.log.entries({ action: 'DescribeStream' });
  return { filtered: all.filter((e) => e.params.ShardFilter !== undefined), whole: all.filter((e) => e.params.ShardFilter === undefined) };
}

describe('reader: the children of a shard that ended, asked for by name', () => {
  it('following, finds children the service lists only after their parent ended, without the periodic describe', async () => {
    const h = await setUp(1);
    const root = h.fake.shardsOf(h.streamArn)[0]!.shardId;
    h.fake.appendGenerated(root, { count: 3 });
    let children: string[] = [];
    const batches = await followUntil(
      // The periodic describe never comes in this test: only asking for the children finds them.
      h.options({ describeIntervalMs: 60_000, childRetryDelaysMs: [5, 5, 5, 5] }),
      (all) => children.length > 0 && sequenceNumbers(all).length >= 3 + 2 * 4,
      {
        onBatch: (_batch, all) => {
          if (children.length || sequenceNumbers(all).length < 3) return;
          // The next two DescribeStream answers leave the children out, though they take writes.
          children = h.fake.split(root, 2, { listedLate: 2 });
          for (const child of children) h.fake.appendGenerated(child, { count: 4 });
        },
      },
    );
    expectExactlyOnce(h.fake, batches, [root, ...children]);
    expectParentsFirst(h.fake, batches);
    expectParentsEndedBeforeChildrenOpened(h.fake, [root, ...children]);
    const { filtered, whole } = describes(h);
    // Asked three times: two answers without the children, then the one with them.
    expect(filtered.filter((e) => (e.params.ShardFilter as { ShardId: string }).ShardId === root)).toHaveLength(3);
    expect(whole).toHaveLength(1);
  });

  it('without follow, asks once for the children of each shard that ends and never describes the whole stream again', async () => {
    const h = await setUp();
    const lineage = h.fake.addLineage(h.streamArn, { depth: 5, fanout: 1, recordsPerShard: 2, closeLeaves: true });
    const batches = await readAll(h.options());
    expectExactlyOnce(h.fake, batches, lineage.shards);
    expectParentsFirst(h.fake, batches);
    const { filtered, whole } = describes(h);
    expect(whole).toHaveLength(1);
    expect(filtered.map((e) => (e.params.ShardFilter as { ShardId: string }).ShardId)).toEqual(lineage.shards);
  });

  it('asks for at most 4 shards at once: when more end together, the rest share describes of the whole stream', async () => {
    const h = await setUp();
    const shards = h.fake.addRootShards(h.streamArn, 40, { lazy: { count: 2 }, closed: true });
    h.fake.faults.setLatency(100, { actions: ['DescribeStream'] });
    const batches = await readAll(h.options({ concurrency: 40 }));
    expectExactlyOnce(h.fake, batches, shards);
    const { filtered, whole } = describes(h);
    expect(mostAtOnce(filtered)).toBeLessThanOrEqual(4);
    // Never more than one DescribeStream for each shard that ended (and the first listing).
    expect(filtered.length + whole.length).toBeLessThanOrEqual(shards.length + 1);
    expect(whole.length).toBeGreaterThan(1);
  });

  it('following, asks no more once the stream is disabled: no child will come', async () => {
    const h = await setUp(1);
    const root = h.fake.shardsOf(h.streamArn)[0]!.shardId;
    h.fake.appendGenerated(root, { count: 2 });
    h.fake.disableStream(h.streamArn);
    const { error, batches } = await readUntilError({ ...h.options({ describeIntervalMs: 60_000, childRetryDelaysMs: [5, 5, 5, 5] }), follow: true });
    expect(error).toBeInstanceOf(StreamDisabledError);
    expectExactlyOnce(h.fake, batches, [root]);
    expect(describes(h).filtered).toHaveLength(1);
  });

  for (const behaviour of ['ignored', 'rejected'] as const) {
    it(`describes the whole stream instead where the endpoint ${behaviour === 'ignored' ? 'ignores the filter (lists every shard)' : 'rejects the filter'}`, async () => {
      const h = await setUp();
      h.fake.faults.shardFilter = behaviour;
      const lineage = h.fake.addLineage(h.streamArn, { depth: 3, fanout: 2, recordsPerShard: 2, closeLeaves: true });
      const batches = await readAll(h.options());
      expectExactlyOnce(h.fake, batches, lineage.shards);
      expectParentsFirst(h.fake, batches);
      const { filtered, whole } = describes(h);
      // The filter is tried once; after that every ended shard gets the describe it got before.
      expect(filtered).toHaveLength(1);
      expect(whole.length).toBeGreaterThan(1);
    });
  }
});

/**
 * The most calls in flight at one moment: a sweep over starts and ends, an end before a start at
 * the same millisecond (the fake stamps a call's end as it answers, before the next can arrive).
 */
function mostAtOnce(calls: readonly CallLogEntry[]): number {
  const edges = calls.flatMap((c) => [{ at: c.startedAt, step: 1 }, { at: c.endedAt!, step: -1 }]);
  edges.sort((a, b) => a.at - b.at || a.step - b.step);
  let now = 0;
  let most = 0;
  for (const edge of edges) most = Math.max(most, (now += edge.step));
  return most;
}
