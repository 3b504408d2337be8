import { describe, expect, it } from 'vitest';
import { closestWord, editDistance } from '../../src/util/edit-distance.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['prefix', 'prefix', 0],
    ['prefx', 'prefix', 1],
    ['prefixx', 'prefix', 1],
    ['prefex', 'prefix', 1],
    ['kitten', 'sitting', 3],
    ['flaw', 'lawn', 2],
  ])('from %j to %j is %i', (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
    expect(editDistance(b, a)).toBe(expected);
  });

  it('counts a swap of two neighbours as two edits', () => {
    expect(editDistance('ab', 'ba')).toBe(2);
  });

  it('is case-sensitive', () => {
    expect(editDistance('Keys', 'keys')).toBe(1);
  });
});

describe('closestWord', () => {
  const operators = ['prefix', 'suffix', 'equals-ignore-case', 'anything-but', 'numeric', 'exists'];

  it('suggests the candidate one or two edits away', () => {
    expect(closestWord('prefx', operators)).toBe('prefix');
    expect(closestWord('exist', operators)).toBe('exists');
    expect(closestWord('numerc', operators)).toBe('numeric');
  });

  it('ignores case on both sides and returns the candidate as written', () => {
    expect(closestWord('newimage', ['Keys', 'NewImage', 'OldImage'])).toBe('NewImage');
    expect(closestWord('PREFIX', operators)).toBe('prefix');
  });

  it('suggests nothing three or more edits away', () => {
    expect(closestWord('wildcard', operators)).toBeUndefined();
    expect(closestWord('abc', ['abcdef'])).toBeUndefined();
    expect(closestWord('abc', ['abcde'])).toBe('abcde');
  });

  it('prefers the nearer candidate, then the earlier one on a tie', () => {
    expect(closestWord('cat', ['cart', 'cat'])).toBe('cat');
    expect(closestWord('cat', ['bat', 'hat'])).toBe('bat');
    expect(closestWord('cat', ['hat', 'bat'])).toBe('hat');
  });

  it('suggests nothing from no candidates', () => {
    expect(closestWord('prefix', [])).toBeUndefined();
  });
});
