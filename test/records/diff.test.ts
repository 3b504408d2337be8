import { describe, expect, it } from 'vitest';
import { compareNumbers, diffImages, formatPath } from '../../src/records/diff.js';

const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);

describe('diffImages', () => {
  it('reports added, removed and changed top-level attributes in name order', () => {
    const diff = diffImages(
      { pk: { S: 'alice' }, email: { S: 'alice@old.example' }, phone: { S: '+41 44 000' } },
      { pk: { S: 'alice' }, email: { S: 'alice@new.example' }, nick: { S: 'al' } },
    );
    expect(diff).toEqual([
      { path: 'email', op: 'change', from: { S: 'alice@old.example' }, to: { S: 'alice@new.example' } },
      { path: 'nick', op: 'add', to: { S: 'al' } },
      { path: 'phone', op: 'remove', from: { S: '+41 44 000' } },
    ]);
  });

  it('returns nothing for equal images, whatever the order of map keys and set members', () => {
    const a = { m: { M: { x: { N: '1' }, y: { SS: ['a', 'b'] } } }, b: { BS: [bytes(1), bytes(2)] } };
    const b = { b: { BS: [bytes(2), bytes(1)] }, m: { M: { y: { SS: ['b', 'a'] }, x: { N: '1' } } } };
    expect(diffImages(a, b)).toEqual([]);
  });

  it('descends into nested maps and names the leaf path', () => {
    const diff = diffImages(
      { profile: { M: { address: { M: { city: { S: 'Bern' }, zip: { N: '3000' } } } } } },
      { profile: { M: { address: { M: { city: { S: 'Zurich' }, zip: { N: '3000' }, canton: { S: 'ZH' } } } } } },
    );
    expect(diff.map((d) => [d.op, d.path])).toEqual([
      ['add', 'profile.address.canton'],
      ['change', 'profile.address.city'],
    ]);
  });

  it('compares lists by index: a grown list adds at the new index, a shrunk one removes', () => {
    const grown = diffImages(
      { items: { L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }] } },
      { items: { L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }, { S: 'd' }] } },
    );
    expect(grown).toEqual([{ path: 'items[3]', op: 'add', to: { S: 'd' } }]);
    const shrunk = diffImages({ items: { L: [{ S: 'a' }, { S: 'b' }] } }, { items: { L: [{ S: 'b' }] } });
    expect(shrunk).toEqual([
      { path: 'items[0]', op: 'change', from: { S: 'a' }, to: { S: 'b' } },
      { path: 'items[1]', op: 'remove', from: { S: 'b' } },
    ]);
  });

  it('descends into maps inside lists', () => {
    const diff = diffImages(
      { lines: { L: [{ M: { sku: { S: 'A1' }, qty: { N: '1' } } }] } },
      { lines: { L: [{ M: { sku: { S: 'A1' }, qty: { N: '2' } } }] } },
    );
    expect(diff).toEqual([{ path: 'lines[0].qty', op: 'change', from: { N: '1' }, to: { N: '2' } }]);
  });

  it('reports a set change once, with the members added and removed in order', () => {
    const diff = diffImages(
      { tags: { SS: ['red', 'green'] }, scores: { NS: ['10', '2', '-1'] } },
      { tags: { SS: ['green', 'blue', 'amber'] }, scores: { NS: ['2', '100', '-5', '3.5'] } },
    );
    expect(diff).toEqual([
      {
        path: 'scores', op: 'change',
        from: { NS: ['10', '2', '-1'] }, to: { NS: ['2', '100', '-5', '3.5'] },
        added: { NS: ['-5', '3.5', '100'] }, removed: { NS: ['-1', '10'] },
      },
      {
        path: 'tags', op: 'change',
        from: { SS: ['red', 'green'] }, to: { SS: ['green', 'blue', 'amber'] },
        added: { SS: ['amber', 'blue'] },
        removed: { SS: ['red'] },
      },
    ]);
  });

  it('leaves out an empty side of a set change', () => {
    const [entry] = diffImages({ tags: { SS: ['a'] } }, { tags: { SS: ['a', 'b'] } });
    expect(entry).toEqual({ path: 'tags', op: 'change', from: { SS: ['a'] }, to: { SS: ['a', 'b'] }, added: { SS: ['b'] } });
  });

  it('diffs binary sets by bytes', () => {
    const [entry] = diffImages({ keys: { BS: [bytes(1, 2), bytes(3)] } }, { keys: { BS: [bytes(3), bytes(4)] } });
    expect(entry?.added).toEqual({ BS: [bytes(4)] });
    expect(entry?.removed).toEqual({ BS: [bytes(1, 2)] });
  });

  it('compares numbers by their exact digits', () => {
    const big = '12345678901234567890123456789012345678';
    const bigger = '12345678901234567890123456789012345679';
    expect(diffImages({ n: { N: big } }, { n: { N: bigger } })).toEqual([
      { path: 'n', op: 'change', from: { N: big }, to: { N: bigger } },
    ]);
    expect(diffImages({ n: { N: big } }, { n: { N: big } })).toEqual([]);
  });

  it('compares binary by bytes, not by identity', () => {
    expect(diffImages({ b: { B: bytes(1, 2, 3) } }, { b: { B: bytes(1, 2, 3) } })).toEqual([]);
    expect(diffImages({ b: { B: bytes(1, 2, 3) } }, { b: { B: bytes(1, 2, 4) } })).toHaveLength(1);
  });

  it('reports a type change as one change of the whole value', () => {
    const diff = diffImages({ v: { M: { a: { S: 'x' } } } }, { v: { L: [{ S: 'x' }] } });
    expect(diff).toEqual([{ path: 'v', op: 'change', from: { M: { a: { S: 'x' } } }, to: { L: [{ S: 'x' }] } }]);
    expect(diffImages({ v: { N: '1' } }, { v: { S: '1' } })).toHaveLength(1);
    expect(diffImages({ v: { NULL: true } }, { v: { BOOL: false } })).toHaveLength(1);
  });

  it('treats a missing image as empty', () => {
    expect(diffImages(undefined, { pk: { S: 'a' } })).toEqual([{ path: 'pk', op: 'add', to: { S: 'a' } }]);
    expect(diffImages({ pk: { S: 'a' } }, undefined)).toEqual([{ path: 'pk', op: 'remove', from: { S: 'a' } }]);
    expect(diffImages()).toEqual([]);
  });

  it('quotes attribute names that would be ambiguous in a path', () => {
    const diff = diffImages(
      { 'a.b': { M: { 'home address': { S: 'x' } } }, 'tags[0]': { S: 'y' } },
      { 'a.b': { M: { 'home address': { S: 'z' } } }, 'tags[0]': { S: 'w' } },
    );
    expect(diff.map((d) => d.path)).toEqual(['"a.b"."home address"', '"tags[0]"']);
  });
});

describe('formatPath', () => {
  it('keeps plain names bare, including letters outside ASCII, dashes and digits', () => {
    expect(formatPath(['prénom', 'first-name', 0, '2fa'])).toBe('prénom.first-name[0].2fa');
    expect(formatPath([''])).toBe('""');
  });
});

describe('compareNumbers', () => {
  it('orders DynamoDB numbers exactly, beyond double precision', () => {
    const sorted = ['1e3', '-0.5', '99999999999999999999999999999999999998', '99999999999999999999999999999999999999', '0', '-12', '0.05', '999']
      .sort(compareNumbers);
    expect(sorted).toEqual(['-12', '-0.5', '0', '0.05', '999', '1e3',
      '99999999999999999999999999999999999998', '99999999999999999999999999999999999999']);
    expect(compareNumbers('1.50', '1.5')).toBe(0);
  });
});
