import type { AttributeValue } from '@aws-sdk/client-dynamodb-streams';
import type { AttributeMap } from '../records/record.js';
import { formatAttributeName, kindOf } from '../records/diff.js';

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

const formatBinary = (bytes: Uint8Array): string =>
  `<binary ${bytes.byteLength} byte${bytes.byteLength === 1 ? '' : 's'}: ${base64(bytes)}>`;

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * One attribute value on one line, DynamoDB-aware: strings JSON-quoted (so newlines and quotes
 * stay visible), numbers as the exact digits sent, binary as its size and base64, sets in
 * PartiQL's `<<…>>` (so they never look like lists or maps), maps as `{name: value}` with names in
 * code-unit order, lists as `[…]`.
 */
export function formatValue(value: AttributeValue): string {
  switch (kindOf(value)) {
    case 'S': return JSON.stringify(value.S);
    case 'N': return value.N!;
    case 'B': return formatBinary(value.B!);
    case 'BOOL': return String(value.BOOL);
    case 'NULL': return 'null';
    case 'SS': return `<<${value.SS!.map((s) => JSON.stringify(s)).join(', ')}>>`;
    case 'NS': return `<<${value.NS!.join(', ')}>>`;
    case 'BS': return `<<${value.BS!.map(formatBinary).join(', ')}>>`;
    case 'M': {
      const map = value.M!;
      const names = Object.keys(map).sort(byCodeUnit);
      return `{${names.map((n) => `${formatAttributeName(n)}: ${formatValue(map[n]!)}`).join(', ')}}`;
    }
    case 'L': return `[${value.L!.map(formatValue).join(', ')}]`;
    case 'unknown': return `<unknown ${Object.keys(value).join(',')}>`;
  }
}

const BARE_KEY = /^[^\s"'=]+$/;

/** A key value for a header: `alice` bare when that cannot be misread, else quoted. */
export function formatKeyValue(value: AttributeValue): string {
  if (value.S !== undefined) return BARE_KEY.test(value.S) ? value.S : JSON.stringify(value.S);
  if (value.N !== undefined) return value.N;
  if (value.B !== undefined) return base64(value.B);
  return formatValue(value);
}

/** `pk=alice sk=profile`, in the order the record carries its keys. */
export function formatKeys(keys: AttributeMap): string {
  return Object.entries(keys).map(([name, value]) => `${formatAttributeName(name)}=${formatKeyValue(value)}`).join(' ');
}

/** Terminal columns of one code point: 0 for controls and combining marks, 2 for wide ones. */
function codePointWidth(cp: number): number {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if ((cp >= 0x300 && cp <= 0x36f) || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd)
  ) return 2;
  return 1;
}

/** Columns the text takes in a terminal (plain text: no ANSI codes). */
export function textWidth(text: string): number {
  let width = 0;
  for (const char of text) width += codePointWidth(char.codePointAt(0)!);
  return width;
}

/** The text cut to at most `width` columns, ending in `…` when something was cut. */
export function cutToWidth(text: string, width: number): string {
  if (textWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  for (const char of text) {
    const w = codePointWidth(char.codePointAt(0)!);
    if (used + w > width - 1) break;
    out += char;
    used += w;
  }
  return out + '…';
}
