import { describe, expect, it } from 'vitest';
import { needsTerminalEscape, terminalSafe } from '../../src/render/terminal-text.js';
import { renderRecord, type RenderOptions } from '../../src/render/record-text.js';
import { plainRecordText } from '../../src/render/tail-line.js';
import { toNdjsonLine } from '../../src/render/ndjson.js';
import type { StreamRecord } from '../../src/records/record.js';
import { record } from './fixtures.js';

/**
 * The characters of the text a terminal would act on, as `U+XXXX`: C0 but newline, DEL, C1, bidi
 * embeddings, overrides, isolates and marks, line separators. Written out by hand rather than
 * with the function under test.
 */
function unsafeIn(text: string): string[] {
  const unsafe = (cp: number): boolean =>
    (cp < 0x20 && cp !== 0x0a) || (cp >= 0x7f && cp <= 0x9f) || cp === 0x061c || cp === 0x200e || cp === 0x200f ||
    cp === 0x2028 || cp === 0x2029 || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
  return [...text].map((c) => c.codePointAt(0)!).filter(unsafe).map((cp) => `U+${cp.toString(16).padStart(4, '0')}`);
}

/** The renderer's own colour codes (SGR), the only escape sequences it may write. */
const OWN_COLOUR = new RegExp(String.raw`\u001b\[\d+(;\d+)*m`, 'g');

const ESC_BOLD = '\u001b[1m';
const OSC_TITLE = '\u001b]0;title\u0007';
const CSI_8BIT = '\u009b31m';
const RLO = '\u202e';
const hostile = `a${ESC_BOLD}b${OSC_TITLE}c${CSI_8BIT}d${RLO}e`;

describe('terminalSafe', () => {
  it('writes C0, DEL, C1, bidi controls and line separators as visible \\u escapes', () => {
    expect(terminalSafe('\u001b[1m')).toBe('\\u001b[1m');
    expect(terminalSafe('\u0007\u007f\u0085\u009b\u009d')).toBe('\\u0007\\u007f\\u0085\\u009b\\u009d');
    expect(terminalSafe('\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069')).toBe(
      '\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069',
    );
    expect(terminalSafe('\u200e\u200f\u061c\u2028\u2029\n')).toBe('\\u200e\\u200f\\u061c\\u2028\\u2029\\u000a');
  });

  it('leaves every other character as it is', () => {
    const text = 'Zürich 日本 😀 e\u0301 \u00a0\u00ff "quoted" \\ tab-free';
    expect(terminalSafe(text)).toBe(text);
    expect(needsTerminalEscape(text)).toBe(false);
  });

  it('is idempotent and leaves nothing unsafe', () => {
    const once = terminalSafe(hostile);
    expect(terminalSafe(once)).toBe(once);
    expect(unsafeIn(once)).toEqual([]);
    expect(needsTerminalEscape(hostile)).toBe(true);
  });
});

describe('what the renderers write to a terminal', () => {
  const oldImage = {
    pk: { S: hostile },
    [`name${OSC_TITLE}`]: { S: 'old' },
    [`flag${RLO}`]: { BOOL: true },
    nested: { M: { [`inner${CSI_8BIT}`]: { L: [{ S: hostile }, { SS: [hostile] }] } } },
  };
  const newImage = {
    pk: { S: hostile },
    [`name${OSC_TITLE}`]: { S: `new${ESC_BOLD}` },
    [`added${ESC_BOLD}`]: { S: RLO },
    nested: { M: { [`inner${CSI_8BIT}`]: { L: [{ S: hostile + '!' }, { SS: [hostile, 'x'] }] } } },
  };
  const records: StreamRecord[] = [
    record({ eventName: 'INSERT', keys: { pk: { S: hostile }, [`sk${RLO}`]: { N: '1' } }, newImage }),
    record({ eventName: 'MODIFY', keys: { pk: { S: hostile } }, oldImage, newImage }),
    record({ eventName: 'REMOVE', keys: { pk: { S: hostile } }, oldImage }),
    record({ eventName: 'REMOVE', keys: { pk: { S: hostile } }, table: `Users${CSI_8BIT}`, shardId: `shardId-1-ab${RLO}cd` }),
  ];
  const variants: Partial<RenderOptions>[] = [
    { mode: 'diff' }, { mode: 'full' }, { mode: 'diff', width: 60 }, { mode: 'full', width: 40 }, { mode: 'diff', width: 200 },
  ];

  it('holds no raw control character in the pretty or plain text, colour off', () => {
    for (const r of records) {
      for (const variant of variants) {
        const options: RenderOptions = { mode: 'diff', color: false, ...variant };
        const pretty = renderRecord(r, options);
        for (const line of pretty) expect(unsafeIn(line)).toEqual([]);
        expect(unsafeIn(plainRecordText(r, options, false))).toEqual([]);
      }
    }
  });

  it('holds no escape sequence but its own colours, colour on', () => {
    for (const r of records) {
      const text = plainRecordText(r, { mode: 'diff', color: true, width: 80 }, true);
      expect(text).toContain('\u001b[');
      expect(unsafeIn(text.replace(OWN_COLOUR, ''))).toEqual([]);
    }
  });

  it('shows the controls as escapes in the header, the names and the values', () => {
    const [insert, modify] = records.map((r) => renderRecord(r, { mode: 'diff', color: false }).join('\n'));
    expect(insert!.split('\n')[0]).toContain('pk="a\\u001b[1mb\\u001b]0;title\\u0007c\\u009b31md\\u202ee" "sk\\u202e"=1');
    expect(insert).toContain('"added\\u001b[1m"  "\\u202e"');
    expect(modify).toContain('~ "name\\u001b]0;title\\u0007"');
    expect(modify).toContain('"old" → "new\\u001b[1m"');
    expect(modify).toContain('- "flag\\u202e"');
    expect(modify).toContain('~ nested."inner\\u009b31m"[0]');
  });

  it('leaves NDJSON exact: it is data, not display', () => {
    const line = toNdjsonLine(records[1]!);
    expect(JSON.parse(line).keys.pk).toBe(hostile);
    expect(JSON.parse(line).newImage[`name${OSC_TITLE}`]).toBe(`new${ESC_BOLD}`);
  });
});
