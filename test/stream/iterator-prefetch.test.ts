import { describe, expect, it } from 'vitest';
import { IteratorPrefetch } from '../../src/stream/iterator-prefetch.js';
import type { StartPosition } from '../../src/stream/types.js';

const TRIM_HORIZON: StartPosition = { type: 'TRIM_HORIZON' };

describe('IteratorPrefetch', () => {
  it('hands over an iterator taken early once, for a TRIM_HORIZON start only', async () => {
    const asked: string[] = [];
    const prefetch = new IteratorPrefetch(async (shardId) => {
      asked.push(shardId);
      return `it-${shardId}`;
    });
    prefetch.prefetch('a');
    prefetch.prefetch('a');
    prefetch.prefetch('b');
    expect(asked).toEqual(['a', 'b']);
    expect(await prefetch.take('a', TRIM_HORIZON)).toBe('it-a');
    expect(await prefetch.take('a', TRIM_HORIZON)).toBeUndefined();
    // A shard that starts elsewhere (a checkpoint) does not use it.
    expect(await prefetch.take('b', { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '100' })).toBeUndefined();
    expect(await prefetch.take('c', TRIM_HORIZON)).toBeUndefined();
  });

  it('forgets a failed early call and an iterator grown old', async () => {
    let now = 0;
    const prefetch = new IteratorPrefetch(async (shardId) => {
      if (shardId === 'bad') throw new Error('LimitExceededException');
      return `it-${shardId}`;
    }, () => now);
    prefetch.prefetch('bad');
    expect(await prefetch.take('bad', TRIM_HORIZON)).toBeUndefined();
    prefetch.prefetch('old');
    now = 5 * 60_000 + 1;
    expect(await prefetch.take('old', TRIM_HORIZON)).toBeUndefined();
  });
});
