import { describe, expect, it } from 'vitest';
import { cutToShow, cutToWidth, firstDifference, textWidth } from '../../src/render/text-width.js';

describe('cutToWidth', () => {
  it('leaves text that fits and ends cut text with an ellipsis within the width', () => {
    expect(cutToWidth('abc', 3)).toBe('abc');
    expect(cutToWidth('abcd', 3)).toBe('ab…');
    expect(cutToWidth('abcd', 1)).toBe('…');
    expect(cutToWidth('abcd', 0)).toBe('');
  });

  it('never splits a wide character across the limit', () => {
    const cut = cutToWidth('日本語テキスト', 6);
    expect(cut).toBe('日本…');
    expect(textWidth(cut)).toBe(5);
  });

  it('counts combining marks as no column', () => {
    expect(textWidth('e\u0301')).toBe(1);
  });
});

describe('firstDifference', () => {
  it('finds the first differing code point, the end of the shorter text, or none', () => {
    expect(firstDifference('"12:26"', '"12:31"')).toBe(4);
    expect(firstDifference('😀a', '😀b')).toBe(1);
    expect(firstDifference('abc', 'abcd')).toBe(3);
    expect(firstDifference('abc', 'abc')).toBeUndefined();
  });
});

describe('cutToShow', () => {
  const stamp = '"2026-12-02T02:24:26.799Z"';

  it('leaves text that fits, and cuts at the end when that shows the difference', () => {
    expect(cutToShow(stamp, 26, 18)).toBe(stamp);
    expect(cutToShow('"abcdefghijklmnop"', 10, 2)).toBe('"abcdefgh…');
  });

  it('cuts at the start, keeping the opening quote, when the difference is late', () => {
    expect(cutToShow(stamp, 13, 18)).toBe('"…24:26.799Z"');
    expect(cutToShow(stamp, 16, 18)).toBe('"…02:24:26.799Z"');
    expect(cutToShow('[1, 2, 3, 4, 5, 6, 7, 8, 9]', 12, 25)).toBe('[…, 7, 8, 9]');
  });

  it('cuts at both ends when the text after the difference is long too', () => {
    expect(cutToShow(`"${'a'.repeat(30)}X${'b'.repeat(30)}"`, 12, 31)).toBe('"…aaaXbbbbb…');
  });

  it('keeps nothing before `…` when the value does not open with a quote or bracket', () => {
    expect(cutToShow('12345678901234567890', 8, 19)).toBe('…4567890');
  });

  it('stays within the width for every width and difference', () => {
    const text = '"日本語のテキストと English text mixed"';
    for (let width = 0; width <= textWidth(text); width++) {
      for (let at = 0; at < [...text].length; at++) expect(textWidth(cutToShow(text, width, at))).toBeLessThanOrEqual(width);
    }
  });

  it('cuts at the end as cutToWidth does without a difference to show', () => {
    expect(cutToShow(stamp, 10, undefined)).toBe(cutToWidth(stamp, 10));
  });
});
