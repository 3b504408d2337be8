import { describe, expect, it } from 'vitest';
import { QuotedStrings } from '../../src/util/quoted-strings.js';

describe('QuotedStrings', () => {
  it('quotes as JSON does, escapes included, however often a string comes', () => {
    const strings = new QuotedStrings(8);
    for (const text of ['pk', 'a"b', 'line\nbreak', '\u2028', 'pk']) expect(strings.quote(text)).toBe(JSON.stringify(text));
  });

  it('stays correct past its bound', () => {
    const strings = new QuotedStrings(2);
    const texts = Array.from({ length: 10 }, (_, i) => `name-${i}`);
    for (const text of [...texts, ...texts]) expect(strings.quote(text)).toBe(`"${text}"`);
  });
});
