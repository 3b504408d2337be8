import { describe, expect, it } from 'vitest';
import { describeOffset, parsePatternJson, PatternJsonError } from '../../src/records/pattern-json.js';

describe('parsePatternJson', () => {
  it('reads what JSON.parse reads, keeping number tokens as written', () => {
    const text = ' { "s": "a\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude00", "n": [-0, 300.0, 3.0e2, 1E-7], "t": true, "f": false, "z": null, "o": {}, "l": [] } ';
    const node = parsePatternJson(text);
    expect(node.type).toBe('object');
    if (node.type !== 'object') return;
    const [s, n] = node.entries;
    expect(s).toEqual(['s', { type: 'string', value: JSON.parse('"a\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude00"') as string, at: 8 }]);
    expect(n?.[1].type === 'array' && n[1].items.map((item) => item.type === 'number' && item.raw)).toEqual(['-0', '300.0', '3.0e2', '1E-7']);
    expect(node.entries.map(([key, value]) => [key, value.type])).toEqual([
      ['s', 'string'], ['n', 'array'], ['t', 'boolean'], ['f', 'boolean'], ['z', 'null'], ['o', 'object'], ['l', 'array'],
    ]);
  });

  it.each([
    ['{"a": tru}', 'expected a value'],
    ['{"a": "x\ty"}', 'a control character (such as a newline) inside a string must be escaped'],
    ['{"a": "\\x"}', '"\\x" is not a JSON escape'],
    ['{"a": "\\u12"}', '\\u must be followed by 4 hex digits'],
    ['{"a" "x"}', 'expected \':\' after "a"'],
    ['{"a": 1.}', '"1." is not a JSON number'],
    ['{"a": -}', 'expected a number'],
    ['{"a": [1 2]}', 'expected \',\' or \']\' in a list'],
    ['{"a": 1', 'expected \',\' or \'}\' after the value of "a", found end of text'],
  ])('rejects %j', (text, message) => {
    expect(() => parsePatternJson(text)).toThrow(PatternJsonError);
    expect(() => parsePatternJson(text)).toThrow(message);
  });
});

describe('describeOffset', () => {
  it('gives a column on one line and line and column on several', () => {
    expect(describeOffset('{"a": x}', 6)).toBe('column 7');
    expect(describeOffset('{\n  "a": x\n}', 9)).toBe('line 2, column 8');
  });
});
