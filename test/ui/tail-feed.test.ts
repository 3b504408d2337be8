import { describe, expect, it } from 'vitest';
import { BEHIND_AFTER_MS, RATE_WINDOW_MS, TailFeed } from '../../src/ui/tail-feed.js';
import { record } from '../render/fixtures.js';

const records = (n: number) => Array.from({ length: n }, () => record({ eventName: 'INSERT' as const }));

function feedAt(start = 0, maxQueued?: number): { feed: TailFeed; clock: { now: number } } {
  const clock = { now: start };
  return { feed: new TailFeed(() => clock.now, maxQueued), clock };
}

describe('TailFeed', () => {
  it('averages records per second over the window and decays to zero when idle', () => {
    const { feed, clock } = feedAt();
    clock.now = 10_000;
    feed.addBatch(records(50));
    expect(feed.status().perSecond).toBe(50 / (RATE_WINDOW_MS / 1000));
    clock.now += RATE_WINDOW_MS;
    expect(feed.status().perSecond).toBe(0);
  });

  it('counts every record read, and queues them for the log until taken', () => {
    const { feed } = feedAt();
    feed.addBatch(records(2));
    feed.addBatch(records(1));
    expect(feed.status()).toMatchObject({ seen: 3, queued: 3 });
    feed.queue.shift();
    expect(feed.status()).toMatchObject({ seen: 3, queued: 2 });
  });

  it('keeps reader notices that arrive while paused, and counts the records the pause buffer could not hold', () => {
    const { feed } = feedAt(0, 1);
    feed.togglePause();
    feed.onReaderEvent({ type: 'trimmed', shardId: 's1', message: 'trimmed, continuing at TRIM_HORIZON' });
    feed.addBatch(records(2));
    expect(feed.status()).toMatchObject({ paused: true, queued: 1, droppedWhilePaused: 1, droppedBehind: 0 });
    expect(feed.queue.takeGaps()).toEqual([{ reason: 'paused', count: 1 }]);
    expect(feed.queue.shift()).toMatchObject({ kind: 'notice', text: 'shard s1: trimmed, continuing at TRIM_HORIZON' });
    expect(feed.queue.shift()).toMatchObject({ kind: 'record' });
  });

  it('says how long the oldest record has waited once that is more than the threshold, and only while live', () => {
    const { feed, clock } = feedAt();
    feed.addBatch(records(3));
    clock.now += BEHIND_AFTER_MS;
    expect(feed.status().behindMs).toBe(0);
    clock.now += 1;
    expect(feed.status().behindMs).toBe(BEHIND_AFTER_MS + 1);
    feed.togglePause();
    expect(feed.status().behindMs).toBe(0);
  });

  it('counts records dropped while live as the terminal falling behind, for the whole session', () => {
    const { feed } = feedAt(0, 2);
    feed.addBatch(records(5));
    expect(feed.status()).toMatchObject({ queued: 2, droppedBehind: 3, droppedWhilePaused: 0 });
    feed.queue.takeGaps();
    expect(feed.status().droppedBehind).toBe(3);
  });

  it('keeps track of shards, catching up and backoff from reader events', () => {
    const { feed } = feedAt();
    feed.onReaderEvent({ type: 'describe', shards: 3, open: 1, closed: 2 });
    feed.onReaderEvent({ type: 'shard-start', shardId: 'a', from: 'LATEST' });
    feed.onReaderEvent({ type: 'shard-start', shardId: 'b', from: 'LATEST' });
    feed.onReaderEvent({ type: 'shard-end', shardId: 'a' });
    feed.onReaderEvent({ type: 'backoff', reason: 'ThrottlingException', delayMs: 500, attempt: 1 });
    feed.onReaderEvent({ type: 'caught-up' });
    expect(feed.status()).toMatchObject({
      shards: { total: 3, open: 1, closed: 2 }, shardsReading: 1, caughtUp: true,
      backoff: { reason: 'ThrottlingException', delayMs: 500, attempt: 1 },
    });
    feed.onReaderEvent({ type: 'recovered' });
    expect(feed.status().backoff).toBeUndefined();
  });

  it('hands out the same status object until something shown changes, so React skips the render', () => {
    const { feed, clock } = feedAt(10_000);
    const first = feed.status();
    clock.now += 100;
    expect(feed.status()).toBe(first);
    feed.end(new Error('gone'));
    const ended = feed.status();
    expect(ended).not.toBe(first);
    expect(ended).toMatchObject({ done: true, error: new Error('gone') });
  });
});
