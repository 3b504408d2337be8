import { describe, expect, it } from 'vitest';
import { lagText } from '../../src/render/lag-text.js';

describe('lagText', () => {
  it('says how far behind, as people read a duration, or caught up', () => {
    expect(lagText(undefined)).toBeUndefined();
    expect(lagText(0)).toBe('caught up');
    expect(lagText(999)).toBe('caught up');
    expect(lagText(45_000)).toBe('behind 45s');
    expect(lagText((2 * 60 + 14) * 60_000 + 5_000)).toBe('behind 2h 14m');
    expect(lagText(26 * 3_600_000)).toBe('behind 1d 2h');
  });
});
