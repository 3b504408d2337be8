import { describe, expect, it } from 'vitest';
import { formatCount, plural } from '../../src/util/plural.js';

describe('plural', () => {
  it('agrees the noun with the count', () => {
    expect(plural(0, 'record')).toBe('0 records');
    expect(plural(1, 'record')).toBe('1 record');
    expect(plural(2, 'shard')).toBe('2 shards');
  });

  it('takes an irregular plural and groups thousands', () => {
    expect(plural(1, 'batch', 'batches')).toBe('1 batch');
    expect(plural(12_345, 'retry', 'retries')).toBe('12,345 retries');
  });
});

describe('formatCount', () => {
  it('groups digits as en-US does, for every length and sign', () => {
    for (const n of [0, 7, 42, 999, 1_000, 12_345, 123_456, 1_234_567, 22_000_000_000, -1_234, Number.MAX_SAFE_INTEGER]) {
      expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
    }
  });

  it('leaves fractions and huge numbers to toLocaleString', () => {
    expect(formatCount(1234.5)).toBe('1,234.5');
    expect(formatCount(2 ** 60)).toBe((2 ** 60).toLocaleString('en-US'));
  });
});
