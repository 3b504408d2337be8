import { describe, expect, it } from 'vitest';
import { formatKeys, formatKeyValue, formatValue } from '../../src/render/format-value.js';

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

describe('formatKeyValue', () => {
  it('quotes a key value with a backslash or a control character, so an escape never passes for the value', () => {
    expect(formatKeyValue({ S: 'alice' })).toBe('alice');
    expect(formatKeyValue({ S: 'a\\u0041' })).toBe('"a\\\\u0041"');
    expect(formatKeyValue({ S: 'x\u009by' })).toBe('"x\u009by"');
    expect(formatKeyValue({ S: 'x\u202ey' })).toBe('"x\u202ey"');
  });
});
