import { describe, expect, it } from 'vitest';
import type { UndecodableCount } from '../../src/records/attribute-kind.js';
import type { AttributeMap } from '../../src/records/record.js';
import { toNdjsonLine, toRawLine } from '../../src/render/ndjson.js';
import { formatValue } from '../../src/render/format-value.js';
import { renderRecord } from '../../src/render/record-text.js';
import { record } from './fixtures.js';

const parsed = (json: string): AttributeMap => JSON.parse(json) as AttributeMap;

describe('a record holding a value of a type ddbstream does not know', () => {
  const odd = record({
    eventName: 'INSERT',
    keys: parsed('{"pk":{"S":"alice"}}'),
    newImage: parsed('{"pk":{"S":"alice"},"future":{"VECTOR":[0.5,1]},"l":{"L":[{"N":"1"},{"Q":"x"}]}}'),
  });
  const fine = record({ eventName: 'INSERT', keys: parsed('{"pk":{"S":"bob"}}'), newImage: parsed('{"pk":{"S":"bob"},"e":{}}') });

  it('is an NDJSON line with the value as it came and an "undecodable" list of paths, counted', () => {
    const affected: UndecodableCount = { records: 0 };
    const line = JSON.parse(toNdjsonLine(odd, { diff: '[]' }, affected)) as Record<string, unknown>;
    expect(line.newImage).toEqual({ pk: 'alice', future: { VECTOR: [0.5, 1] }, l: [1, { Q: 'x' }] });
    expect(line.undecodable).toEqual(['newImage.future', 'newImage.l[1]']);
    expect(Object.keys(line).slice(-2)).toEqual(['diff', 'undecodable']);
    expect(JSON.parse(toNdjsonLine(fine, undefined, affected))).not.toHaveProperty('undecodable');
    expect(affected.records).toBe(1);
  });

  it('is a --raw line with the wire value kept and the same marker, counted', () => {
    const affected: UndecodableCount = { records: 0 };
    const raw = JSON.parse(toRawLine(odd, affected)) as { dynamodb: { NewImage: unknown }; undecodable: string[] };
    expect(raw.dynamodb.NewImage).toEqual(JSON.parse('{"pk":{"S":"alice"},"future":{"VECTOR":[0.5,1]},"l":{"L":[{"N":"1"},{"Q":"x"}]}}'));
    expect(raw.undecodable).toEqual(['newImage.future', 'newImage.l[1]']);
    const plain = JSON.parse(toRawLine(fine, affected)) as { dynamodb: { NewImage: unknown } };
    expect(plain).not.toHaveProperty('undecodable');
    expect(plain.dynamodb.NewImage).toEqual({ pk: { S: 'bob' }, e: { M: {} } });
    expect(affected.records).toBe(1);
  });

  it('shows the value in the terminal as <unknown …> around its wire JSON', () => {
    expect(formatValue(parsed('{"x":{"VECTOR":[0.5,1]}}').x!)).toBe('<unknown {"VECTOR":[0.5,1]}>');
    expect(renderRecord(odd, { mode: 'diff', color: false }).slice(1)).toEqual([
      '  pk      "alice"',
      '  future  <unknown {"VECTOR":[0.5,1]}>',
      '  l       [1, <unknown {"Q":"x"}>]',
    ]);
  });
});

describe('the terminal renderers and attribute names', () => {
  const names = parsed('{"pk":{"S":"a"},"constructor":{"S":"c"},"toString":{"N":"1"},"hasOwnProperty":{"BOOL":true},"valueOf":{"NULL":true},"__proto__":{"M":{}},"e":{}}');

  it('INSERT and REMOVE blocks show every attribute, Object.prototype names and empty maps too', () => {
    const lines = renderRecord(record({ eventName: 'INSERT', keys: parsed('{"pk":{"S":"a"}}'), newImage: names }), { mode: 'diff', color: false });
    expect(lines.slice(1)).toEqual([
      '  pk              "a"',
      '  __proto__       {}',
      '  constructor     "c"',
      '  e               {}',
      '  hasOwnProperty  true',
      '  toString        1',
      '  valueOf         null',
    ]);
  });

  it('a MODIFY that adds or removes such an attribute shows + and - lines', () => {
    const lines = renderRecord(record({
      eventName: 'MODIFY',
      keys: parsed('{"pk":{"S":"a"}}'),
      oldImage: parsed('{"pk":{"S":"a"},"constructor":{"S":"c"},"m":{}}'),
      newImage: parsed('{"pk":{"S":"a"},"valueOf":{"N":"1E+125"},"m":{"M":{}}}'),
    }), { mode: 'diff', color: false });
    expect(lines.slice(1)).toEqual(['  - constructor  "c"', '  + valueOf      1E+125']);
  });
});
