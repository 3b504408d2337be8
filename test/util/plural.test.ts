import { describe, expect, it } from 'vitest';
import { plural } from '../../src/util/plural.js';

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
