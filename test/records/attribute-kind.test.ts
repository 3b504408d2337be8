import type { AttributeValue } from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';
import { attributeKind, newAttributeMap, ownAttribute, unknownPaths } from '../../src/records/attribute-kind.js';
import { diffImages } from '../../src/records/diff.js';
import { imageToExactJson } from '../../src/records/exact-json.js';
import { attributeToJson, fromLambdaRecord, mapToJson, toLambdaRecord } from '../../src/records/lambda-record.js';
import { buildRecordFilter, parseKeyCondition, recordFilterFromOptions } from '../../src/records/record-filter.js';
import type { AttributeMap } from '../../src/records/record.js';
import { record } from '../render/fixtures.js';

/** Names that are also members of Object.prototype, and the one JSON.parse keeps only as data. */
const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];

/** An image as JSON.parse gives it: every name an own property, `__proto__` included. */
const parsed = (json: string): AttributeMap => JSON.parse(json) as AttributeMap;

const own = (map: object, name: string): unknown => Object.getOwnPropertyDescriptor(map, name)?.value;

describe('attributeKind', () => {
  it('knows each DynamoDB type by its tag and payload', () => {
    const bytes = new Uint8Array([1]);
    const cases: [AttributeValue, string][] = [
      [{ S: '' }, 'S'], [{ N: '1' }, 'N'], [{ B: bytes }, 'B'], [{ BOOL: false }, 'BOOL'], [{ NULL: true }, 'NULL'],
      [{ SS: ['a'] }, 'SS'], [{ NS: ['1'] }, 'NS'], [{ BS: [bytes] }, 'BS'], [{ M: {} }, 'M'], [{ L: [] }, 'L'],
    ];
    for (const [value, kind] of cases) expect(attributeKind(value)).toBe(kind);
  });

  it('takes an untyped {} (DynamoDB Local\'s empty map) for an empty map', () => {
    expect(attributeKind({} as AttributeValue)).toBe('M');
    expect(attributeKind(parsed('{"x":{}}').x!)).toBe('M');
  });

  it('calls anything else unknown: a tag it does not know, a payload of the wrong type, no object at all', () => {
    for (const value of [{ X: 1 }, { N: 5 }, { S: null }, { L: 'a' }, { M: [] }, { NULL: false }, { SS: [1] }, null, 'S', []]) {
      expect(attributeKind(value as unknown as AttributeValue)).toBe('unknown');
    }
    expect(attributeKind(parsed('{"x":{"__proto__":{"S":"x"}}}').x!)).toBe('unknown');
  });
});

describe('attribute names are data', () => {
  it('ownAttribute finds own attributes only, never Object.prototype\'s members', () => {
    const image = parsed('{"pk":{"S":"a"},"__proto__":{"S":"p"}}');
    expect(ownAttribute(image, '__proto__')).toEqual({ S: 'p' });
    for (const name of PROTOTYPE_NAMES.slice(1)) expect(ownAttribute(image, name)).toBeUndefined();
    expect(ownAttribute({}, '__proto__')).toBeUndefined();
  });

  it('newAttributeMap takes __proto__ as a name, not as a prototype', () => {
    const map = newAttributeMap<number>();
    map.__proto__ = 1 as never;
    expect(Object.keys(map)).toEqual(['__proto__']);
    expect(JSON.stringify(map)).toBe('{"__proto__":1}');
  });

  it('every Object.prototype name survives NDJSON, Lambda\'s shape and the way back', () => {
    const json = `{${PROTOTYPE_NAMES.map((n, i) => `"${n}":{"N":"${i}"}`).join(',')},"m":{"M":{"__proto__":{"L":[{"M":{"constructor":{"S":"c"}}}]}}}}`;
    const image = parsed(json);
    expect(JSON.parse(imageToExactJson(image))).toEqual(JSON.parse(
      `{${PROTOTYPE_NAMES.map((n, i) => `"${n}":${i}`).join(',')},"m":{"__proto__":[{"constructor":"c"}]}}`,
    ));
    const lambda = mapToJson(image);
    expect(JSON.stringify(lambda)).toBe(json);
    const back = fromLambdaRecord(toLambdaRecord(record({ eventName: 'INSERT', newImage: image })));
    expect(JSON.stringify(back.newImage)).toBe(json);
    expect(own(back.newImage!, '__proto__')).toEqual({ N: '0' });
  });

  it('a diff adds and removes attributes named like Object.prototype members, and compares them', () => {
    const before = parsed('{"pk":{"S":"a"},"constructor":{"S":"c"},"m":{"M":{"toString":{"N":"1"}}}}');
    const after = parsed('{"pk":{"S":"a"},"valueOf":{"N":"1E+125"},"__proto__":{"BOOL":true},"m":{"M":{"toString":{"N":"2"}}}}');
    expect(diffImages(before, after)).toEqual([
      { path: '__proto__', op: 'add', to: { BOOL: true } },
      { path: 'constructor', op: 'remove', from: { S: 'c' } },
      { path: 'm.toString', op: 'change', from: { N: '1' }, to: { N: '2' } },
      { path: 'valueOf', op: 'add', to: { N: '1E+125' } },
    ]);
    expect(diffImages(after, after)).toEqual([]);
  });

  it('--key matches an own key attribute only', () => {
    const withProto = record({ eventName: 'INSERT', keys: parsed('{"__proto__":{"S":"x"},"constructor":{"N":"7"}}') });
    const plain = record({ eventName: 'INSERT' });
    const filter = (text: string) => buildRecordFilter({ keys: [parseKeyCondition(text)] });
    expect(filter('__proto__=x').matches(withProto)).toBe(true);
    expect(filter('constructor=7').matches(withProto)).toBe(true);
    expect(filter('constructor=7').matches(plain)).toBe(false);
    expect(filter('toString=x').matches(plain)).toBe(false);
    expect(filter('__proto__=x').matchesLambda(toLambdaRecord(withProto))).toBe(true);
    expect(filter('valueOf=x').matchesLambda(toLambdaRecord(plain))).toBe(false);
  });

  it('a --filter pattern names __proto__ and constructor attributes like any other', () => {
    const odd = record({ eventName: 'INSERT', newImage: parsed('{"__proto__":{"S":"x"},"constructor":{"S":"y"}}') });
    const match = (pattern: string) => recordFilterFromOptions({ filter: [pattern] }).matches(odd);
    expect(match('{"dynamodb":{"NewImage":{"__proto__":{"S":["x"]}}}}')).toBe(true);
    expect(match('{"dynamodb":{"NewImage":{"constructor":{"S":["y"]}}}}')).toBe(true);
    expect(match('{"dynamodb":{"NewImage":{"toString":{"S":[{"exists":true}]}}}}')).toBe(false);
  });
});

describe('an untyped {} is an empty map everywhere', () => {
  const image = parsed('{"pk":{"S":"a"},"top":{},"list":{"L":[{},{"M":{"inner":{}}}]}}');

  it('is {} in NDJSON and {"M":{}} in Lambda\'s shape', () => {
    expect(imageToExactJson(image)).toBe('{"pk":"a","top":{},"list":[{},{"inner":{}}]}');
    expect(JSON.stringify(mapToJson(image))).toBe('{"pk":{"S":"a"},"top":{"M":{}},"list":{"L":[{"M":{}},{"M":{"inner":{"M":{}}}}]}}');
  });

  it('equals a typed empty map in a diff', () => {
    expect(diffImages(image, parsed('{"pk":{"S":"a"},"top":{"M":{}},"list":{"L":[{"M":{}},{"M":{"inner":{"M":{}}}}]}}'))).toEqual([]);
  });
});

describe('a value of a type ddbstream does not know', () => {
  const image = parsed('{"pk":{"S":"a"},"odd":{"X":[1,"two"]},"list":{"L":[{"N":"1"},{"Y":true}]},"m":{"M":{"a b":{"N":5}}}}');

  it('is written as it came, and counted', () => {
    const tally = { values: 0 };
    expect(imageToExactJson(image, tally)).toBe('{"pk":"a","odd":{"X":[1,"two"]},"list":[1,{"Y":true}],"m":{"a b":{"N":5}}}');
    expect(tally.values).toBe(3);
    const lambdaTally = { values: 0 };
    expect(JSON.stringify(mapToJson(image, lambdaTally))).toBe(JSON.stringify(image));
    expect(lambdaTally.values).toBe(3);
    expect(attributeToJson({ X: 1 } as unknown as AttributeValue)).toEqual({ X: 1 });
  });

  it('is found by its path, and an ordinary record has none', () => {
    expect(unknownPaths({ keys: { pk: { S: 'a' } }, newImage: image })).toEqual(['newImage.odd', 'newImage.list[1]', 'newImage.m."a b"']);
    expect(unknownPaths({ keys: parsed('{"pk":{"S":"a"}}'), oldImage: parsed('{"e":{},"l":{"L":[{}]}}') })).toEqual([]);
  });
});
