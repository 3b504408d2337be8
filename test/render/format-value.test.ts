import { describe, expect, it } from 'vitest';
import { cutToWidth, formatKeys, formatValue, textWidth } from '../../src/render/format-value.js';

describe('formatValue', () => {
  it('keeps sets, lists and maps apart', () => {
    expect(formatValue({ SS: ['a'] })).toBe('<<"a">>');
    expect(formatValue({ L: [{ S: 'a' }] })).toBe('["a"]');
    expect(formatValue({ M: { a: { S: 'a' } } })).toBe('{a: "a"}');
  });

  it('orders map names by code unit so equal maps print alike', () => {
    expect(formatValue({ M: { b: { N: '2' }, a: { N: '1' }, B: { N: '0' } } })).toBe('{B: 0, a: 1, b: 2}');
  });
});

describe('formatKeys', () => {
  it('writes name=value pairs in the record key order', () => {
    expect(formatKeys({ sk: { N: '10' }, pk: { S: 'alice' } })).toBe('sk=10 pk=alice');
    expect(formatKeys({ 'user id': { S: 'x=y' } })).toBe('"user id"="x=y"');
  });
});

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
