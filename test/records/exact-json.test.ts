import { describe, expect, it } from 'vitest';
import {
  attributeToExactJson,
  exactNumberToken,
  imageToExactJson,
  isJsonNumber,
  stringifyExact,
} from '../../src/records/exact-json.js';
import type { AttributeMap } from '../../src/records/record.js';
import { unmarshallExact } from '../helpers/unmarshall-exact.js';

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);

const everyType: AttributeMap = {
  id: { S: 'user#1' },
  quote: { S: 'she said "hi"\n\ttab \\ slash \u2028 é 😀 \u0001' },
  small: { N: '42' },
  negative: { N: '-0.5' },
  big: { N: '12345678901234567890123456789012345678' },
  tiny: { N: '0.00000000000000000000000000000000000001' },
  exponent: { N: '1E+125' },
  yes: { BOOL: true },
  no: { BOOL: false },
  nothing: { NULL: true },
  blob: { B: bytes(0, 1, 2, 250, 255) },
  tags: { SS: ['b', 'a'] },
  scores: { NS: ['1', '99999999999999999999999999999999999999', '-3.25'] },
  blobs: { BS: [bytes(1), bytes(2, 3)] },
  address: { M: { street: { S: '1 Main St' }, geo: { M: { lat: { N: '51.50000000000000000001' } } } } },
  history: { L: [{ S: 'x' }, { N: '5' }, { L: [] }, { M: {} }, { NULL: true }] },
};

describe('imageToExactJson', () => {
  it('writes every DynamoDB type as jq-friendly JSON', () => {
    const text = imageToExactJson(everyType);
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      id: 'user#1',
      small: 42,
      negative: -0.5,
      yes: true,
      no: false,
      nothing: null,
      blob: Buffer.from([0, 1, 2, 250, 255]).toString('base64'),
      tags: ['b', 'a'],
      blobs: ['AQ==', 'AgM='],
      address: { street: '1 Main St' },
      history: ['x', 5, [], {}, null],
    });
    expect(parsed.quote).toBe(everyType.quote?.S);
  });

  it('keeps the exact digits of numbers a double cannot hold', () => {
    const text = imageToExactJson(everyType);
    expect(text).toContain('"big":12345678901234567890123456789012345678,');
    expect(text).toContain('"tiny":0.00000000000000000000000000000000000001,');
    expect(text).toContain('"exponent":1E+125,');
    expect(text).toContain('"scores":[1,99999999999999999999999999999999999999,-3.25]');
    expect(text).toContain('"geo":{"lat":51.50000000000000000001}');
    // The same value through a double would have lost digits.
    expect(JSON.stringify(Number('12345678901234567890123456789012345678'))).not.toContain('12345678901234567890123456789012345678');
  });

  it('escapes strings and names exactly as JSON.stringify does', () => {
    const odd = 'a"b\\c\nd\u0000e\ud800f\u2029';
    const text = imageToExactJson({ [odd]: { S: odd } });
    expect(text).toBe(`{${JSON.stringify(odd)}:${JSON.stringify(odd)}}`);
  });

  it('keeps attributes named __proto__ at any depth', () => {
    const image: AttributeMap = JSON.parse(
      '{"__proto__":{"S":"top"},"m":{"M":{"__proto__":{"N":"1"},"x":{"S":"y"}}}}',
    ) as AttributeMap;
    expect(imageToExactJson(image)).toBe('{"__proto__":"top","m":{"__proto__":1,"x":"y"}}');
  });

  it('writes an empty image as an empty object', () => {
    expect(imageToExactJson({})).toBe('{}');
  });

  it('gives the same text as util-dynamodb unmarshall with wrapNumbers', () => {
    const images: AttributeMap[] = [
      everyType,
      { k: { N: '0' } },
      { deep: { L: [{ M: { a: { L: [{ NS: ['1.10', '2'] }, { SS: ['z'] }] } } }] } },
      { b: { B: bytes() }, s: { S: '' } },
      // Sets as hand-made input may hold them: repeats (small and large sets), many members.
      { s: { SS: ['b', 'a', 'b', 'c', 'a'] }, n: { NS: ['1', '1', '01'] }, b: { BS: [bytes(1), bytes(1)] } },
      { s: { SS: Array.from({ length: 40 }, (_, i) => `m${i % 25}`) }, one: { SS: ['x'] }, none: { BS: [] } },
    ];
    for (const image of images) {
      expect(imageToExactJson(image)).toBe(stringifyExact(unmarshallExact(image)));
    }
  });
});

describe('attributeToExactJson', () => {
  it('writes one value', () => {
    expect(attributeToExactJson({ N: '007' })).toBe('7');
    expect(attributeToExactJson({ SS: ['a'] })).toBe('["a"]');
    expect(attributeToExactJson({ M: { a: { BOOL: false } } })).toBe('{"a":false}');
  });
});

describe('the reference path (unmarshall with wrapNumbers)', () => {
  it('wraps numbers so that no digit is lost', () => {
    const native = unmarshallExact({ n: { N: '12345678901234567890.5' } });
    expect(String(native.n)).toBe('12345678901234567890.5');
  });
});

describe('stringifyExact', () => {
  it('writes native values that were built without number wrapping', () => {
    expect(stringifyExact({ a: 1.5, b: 10n, c: Number.NaN, d: undefined, e: [undefined] })).toBe(
      '{"a":1.5,"b":10,"c":null,"e":[null]}',
    );
  });
});

describe('exactNumberToken', () => {
  it.each([
    ['0', '0'],
    ['-0', '-0'],
    ['123', '123'],
    ['1.5e-7', '1.5e-7'],
    ['1E+2', '1E+2'],
    ['+5', '5'],
    ['007', '7'],
    ['-007.50', '-7.50'],
    ['.5', '0.5'],
    ['5.', '5'],
    [' 12 ', '12'],
    ['1e5', '1e5'],
    ['abc', '"abc"'],
    ['', '""'],
    ['1e', '"1e"'],
    ['NaN', '"NaN"'],
    ['.', '"."'],
  ])('%j -> %s', (input, expected) => {
    const token = exactNumberToken(input);
    expect(token).toBe(expected);
    expect(() => JSON.parse(token) as unknown).not.toThrow();
  });
});

describe('isJsonNumber', () => {
  it.each([
    ['0', true], ['-1', true], ['10.25', true], ['1e9', true], ['1E-9', true], ['-0.0e+0', true],
    ['01', false], ['+1', false], ['1.', false], ['.1', false], ['-', false], ['1e', false],
    ['1e+', false], ['0x10', false], ['Infinity', false], ['1 ', false], ['', false],
  ])('%j is %s', (input, expected) => {
    expect(isJsonNumber(input)).toBe(expected);
  });
});
