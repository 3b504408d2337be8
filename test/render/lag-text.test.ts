import { describe, expect, it } from 'vitest';
import { lagText, mostBehindText } from '../../src/render/lag-text.js';

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

describe('mostBehindText', () => {
  it('names the stream furthest behind, and by how much', () => {
    expect(mostBehindText([{ name: 'Users', lagMs: 40_000 }, { name: 'Orders', lagMs: (2 * 60 + 14) * 60_000 }, { name: 'Carts' }]))
      .toBe('most behind: Orders, 2h 14m');
    // A tie goes to the stream given first.
    expect(mostBehindText([{ name: 'Users', lagMs: 5_000 }, { name: 'Orders', lagMs: 5_000 }])).toBe('most behind: Users, 5s');
  });

  it('says all caught up only when every stream is, and nothing before any lag is known', () => {
    expect(mostBehindText([{ name: 'Users', lagMs: 0 }, { name: 'Orders', lagMs: 999 }])).toBe('all caught up');
    expect(mostBehindText([{ name: 'Users', lagMs: 0 }, { name: 'Orders' }])).toBeUndefined();
    expect(mostBehindText([{ name: 'Users' }, { name: 'Orders' }])).toBeUndefined();
  });
});
