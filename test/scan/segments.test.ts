import { describe, expect, it } from 'vitest';
import { MAX_DEFAULT_SEGMENTS, scanSegments } from '../../src/scan/segments.js';

describe('scanSegments', () => {
  it('sizes the default to the table: one for a small table, more for a big one, within a bound', () => {
    expect(scanSegments(undefined, 0)).toBe(1);
    expect(scanSegments(undefined, 10 * 1024 * 1024)).toBe(1);
    expect(scanSegments(undefined, 1024 * 1024 * 1024)).toBe(4);
    expect(scanSegments(undefined, 1024 ** 4)).toBe(MAX_DEFAULT_SEGMENTS);
  });

  it('takes --scan-segments from 1 to 1000, and refuses anything else with a usage error', () => {
    expect(scanSegments('8', 0)).toBe(8);
    for (const bad of ['0', '1001', '2.5', 'four', '']) expect(() => scanSegments(bad, 0)).toThrow(/--scan-segments must be a whole number from 1 to 1000/);
  });
});
