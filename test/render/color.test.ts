import { describe, expect, it } from 'vitest';
import { decideColor } from '../../src/render/color.js';

describe('decideColor', () => {
  it('colours a terminal and not a pipe', () => {
    expect(decideColor({ isTTY: true, env: {}, noColorFlag: false })).toBe(true);
    expect(decideColor({ isTTY: false, env: {}, noColorFlag: false })).toBe(false);
    expect(decideColor({ isTTY: undefined, env: {}, noColorFlag: false })).toBe(false);
  });

  it('never colours with --no-color or NO_COLOR, even when forced', () => {
    expect(decideColor({ isTTY: true, env: {}, noColorFlag: true })).toBe(false);
    expect(decideColor({ isTTY: true, env: { NO_COLOR: '1' }, noColorFlag: false })).toBe(false);
    expect(decideColor({ isTTY: true, env: { NO_COLOR: '1', FORCE_COLOR: '1' }, noColorFlag: false })).toBe(false);
    expect(decideColor({ isTTY: false, env: { FORCE_COLOR: '1' }, noColorFlag: true })).toBe(false);
  });

  it('ignores an empty NO_COLOR, as no-color.org says', () => {
    expect(decideColor({ isTTY: true, env: { NO_COLOR: '' }, noColorFlag: false })).toBe(true);
  });

  it('colours a pipe with FORCE_COLOR, and FORCE_COLOR=0 turns colour off on a terminal', () => {
    expect(decideColor({ isTTY: false, env: { FORCE_COLOR: '1' }, noColorFlag: false })).toBe(true);
    expect(decideColor({ isTTY: false, env: { FORCE_COLOR: '' }, noColorFlag: false })).toBe(true);
    expect(decideColor({ isTTY: true, env: { FORCE_COLOR: '0' }, noColorFlag: false })).toBe(false);
    expect(decideColor({ isTTY: true, env: { FORCE_COLOR: 'false' }, noColorFlag: false })).toBe(false);
  });

  it('does not colour a dumb terminal unless forced', () => {
    expect(decideColor({ isTTY: true, env: { TERM: 'dumb' }, noColorFlag: false })).toBe(false);
    expect(decideColor({ isTTY: true, env: { TERM: 'dumb', FORCE_COLOR: '1' }, noColorFlag: false })).toBe(true);
  });
});
