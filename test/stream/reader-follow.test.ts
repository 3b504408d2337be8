import { afterEach, describe, expect, it } from 'vitest';
import { readStream } from '../../src/stream/reader.js';
import type { ShardBatch } from '../../src/stream/types.js';
import {
  closeAll,
  delay,
  expectExactlyOnce,
  expectParentsEndedBeforeChildrenOpened,
  expectParentsFirst,
  followUntil,
  readAll,
  sequenceNumbers,
  setUp,
} from './harness.js';

afterEach(closeAll);

describe('reader: paging and run modes', () => {
  it('pages DescribeStream through 250 shards and reads every one', async () => {
    const h = await setUp();
    const closed = h.fake.addRootShards(h.streamArn, 240, { lazy: { count: 2 }, closed: true });
    const open = h.fake.addRootShards(h.streamArn, 10, { lazy: { count: 3 } });

    const batches = await readAll(h.options({ concurrency: 16 }));
    expectExactlyOnce(h.fake, batches, [...closed, ...open]);
    // Ended shards are asked for their children by name (ShardFilter); the whole description is
    // three pages (100, 100, 50), each starting where the last ended.
    const describes = h.fake.log.entries({ action: 'DescribeStream' }).filter((e) => e.params.ShardFilter === undefined);
    const starts = describes.map((e) => e.params.ExclusiveStartShardId ?? null);
    expect(starts.filter((s) => s === null).length * 3).toBe(describes.length);
    expect(describes.every((e) => e.params.Limit === 100)).toBe(true);
    expect(h.events.find((e) => e.type === 'describe')).toEqual({ type: 'describe', shards: 250, open: 10, closed: 240 });
  });

  it('without follow, ends once closed shards are done and open shards are at their tip', async () => {
    const h = await setUp();
    const closed = h.fake.addRootShards(h.streamArn, 3, { lazy: { count: 4 }, closed: true });
    const open = h.fake.addRootShards(h.streamArn, 2, { lazy: { count: 5 } });
    const idle = h.fake.addRootShards(h.streamArn, 1);

    const batches = await readAll(h.options({ pageSize: 2 }));
    expectExactlyOnce(h.fake, batches, [...closed, ...open, ...idle]);
    expect(batches.filter((b) => b.end).map((b) => b.shardId).sort()).toEqual([...closed].sort());
    expect(batches.filter((b) => open.includes(b.shardId)).every((b) => !b.end)).toBe(true);
  });

  it('without follow, ends at once when there is nothing to read', async () => {
    const h = await setUp();
    expect(await readAll(h.options())).toEqual([]);
    h.fake.addRootShards(h.streamArn, 2, { lazy: { count: 3 }, closed: true });
    expect(await readAll(h.options({ start: { type: 'LATEST' } }))).toEqual([]);
  });

  it('following, picks up records written later and the children of a split', async () => {
    const h = await setUp(1);
    const root = h.fake.shardsOf(h.streamArn)[0]!.shardId;
    h.fake.appendGenerated(root, { count: 3 });
    let children: string[] = [];
    let phase = 0;
    const batches = await followUntil(
      // A long periodic describe: the children can only be found by describing at the parent's end.
      h.options({ describeIntervalMs: 60_000 }),
      (all) => children.length > 0 && sequenceNumbers(all).length >= 3 + 4 + 2 * 5,
      {
        onBatch: (_batch, all) => {
          const read = sequenceNumbers(all).length;
          if (phase === 0 && read >= 3) {
            phase = 1;
            setTimeout(() => h.fake.appendGenerated(root, { count: 4 }), 30);
          } else if (phase === 1 && read >= 7) {
            phase = 2;
            setTimeout(() => {
              children = h.fake.split(root, 2);
              for (const child of children) h.fake.appendGenerated(child, { count: 5 });
            }, 30);
          }
        },
      },
    );
    expectExactlyOnce(h.fake, batches, [root, ...children]);
    expectParentsFirst(h.fake, batches);
    expectParentsEndedBeforeChildrenOpened(h.fake, [root, ...children]);
    // Reaching the tip of everything is announced once, for status displays.
    expect(h.events.filter((e) => e.type === 'caught-up')).toHaveLength(1);
    expect(batches.find((b) => b.shardId === root && b.end)).toBeDefined();
  });

  it('following, finds new shards by describing periodically', async () => {
    const h = await setUp(1);
    const first = h.fake.shardsOf(h.streamArn)[0]!.shardId;
    let added: string[] = [];
    setTimeout(() => {
      added = h.fake.addRootShards(h.streamArn, 2, { lazy: { count: 3 } });
    }, 150);
    const started = Date.now();
    const batches = await followUntil(h.options({ describeIntervalMs: 50 }), (all) => sequenceNumbers(all).length >= 6);
    expectExactlyOnce(h.fake, batches, [first, ...added]);
    const describes = h.fake.log.entries({ action: 'DescribeStream' }).length;
    expect(describes).toBeGreaterThanOrEqual(2);
    // About one describe per interval, not a busy loop.
    expect(describes).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 50) + 2);
  });

  it('stops cleanly on abort: the generator returns, no call is made afterwards', async () => {
    const h = await setUp();
    h.fake.addRootShards(h.streamArn, 4, { lazy: { count: 50 } });
    const controller = new AbortController();
    const batches: ShardBatch[] = [];
    const run = (async () => {
      for await (const batch of readStream(h.options({ follow: true, pageSize: 5, signal: controller.signal }))) {
        batches.push(batch);
        if (batches.length === 3) {
          // Let the readers fill the queue first: queued pages must not come out after the abort.
          await delay(100);
          controller.abort();
        }
      }
    })();
    await expect(run).resolves.toBeUndefined();
    // Nothing is handed over after the abort: the consumer stops where it asked to.
    expect(batches).toHaveLength(3);
    await delay(60);
    const calls = h.fake.log.count();
    await delay(200);
    expect(h.fake.log.count()).toBe(calls);
  });

  it('returns at once when the signal is already aborted', async () => {
    const h = await setUp(1);
    const batches = await readAll(h.options({ follow: true, signal: AbortSignal.abort() }));
    expect(batches).toEqual([]);
    expect(h.fake.log.count()).toBe(0);
  });
});
