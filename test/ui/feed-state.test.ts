import { describe, expect, it } from 'vitest';
import { feedReducer, initialFeedState, RATE_WINDOW_MS } from '../../src/ui/feed-state.js';
import { record } from '../render/fixtures.js';

const page = (n: number) => ({
  shardId: 's', end: false, caughtUp: true,
  records: Array.from({ length: n }, () => record({ eventName: 'INSERT' as const })),
});

describe('feedReducer', () => {
  it('lets printed items go and keeps the ones that arrived since', () => {
    let state = initialFeedState(0);
    state = feedReducer(state, { type: 'batch', batch: page(2), now: 0 });
    state = feedReducer(state, { type: 'batch', batch: page(1), now: 0 });
    state = feedReducer(state, { type: 'printed', count: 2 });
    expect(state.pending.map((i) => i.id)).toEqual([3]);
    expect(state.generation).toBe(1);
    expect(state.seen).toBe(3);
  });

  it('averages records per second over the window and decays to zero when idle', () => {
    let state = initialFeedState(0);
    state = feedReducer(state, { type: 'batch', batch: page(50), now: 10_000 });
    expect(state.perSecond).toBe(50 / (RATE_WINDOW_MS / 1000));
    state = feedReducer(state, { type: 'tick', now: 10_000 + RATE_WINDOW_MS });
    expect(state.perSecond).toBe(0);
  });

  it('keeps reader notices that arrive while paused for the resume', () => {
    let state = feedReducer(initialFeedState(0, 1), { type: 'toggle-pause' });
    state = feedReducer(state, { type: 'reader', event: { type: 'trimmed', shardId: 's1', message: 'trimmed, continuing at TRIM_HORIZON' }, now: 0 });
    state = feedReducer(state, { type: 'batch', batch: page(2), now: 0 });
    expect(state.pending).toEqual([]);
    expect(state.dropped).toBe(1);
    state = feedReducer(state, { type: 'toggle-pause' });
    expect(state.pending.map((i) => (i.kind === 'notice' ? i.text : i.id))).toEqual([
      '1 record not shown: while paused only the latest 1 are kept',
      'shard s1: trimmed, continuing at TRIM_HORIZON',
      3,
    ]);
  });
});
