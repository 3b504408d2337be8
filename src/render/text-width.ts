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

const charWidth = (char: string): number => codePointWidth(char.codePointAt(0)!);

/** Columns the text takes in a terminal (plain text: no ANSI codes). */
export function textWidth(text: string): number {
  let width = 0;
  for (const char of text) width += charWidth(char);
  return width;
}

/** The text cut to at most `width` columns, ending in `…` when something was cut. */
export function cutToWidth(text: string, width: number): string {
  if (textWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  for (const char of text) {
    const w = charWidth(char);
    if (used + w > width - 1) break;
    out += char;
    used += w;
  }
  return out + '…';
}

/** Where two texts first differ, in code points; undefined when they are equal. */
export function firstDifference(a: string, b: string): number | undefined {
  const x = [...a];
  const y = [...b];
  const length = Math.min(x.length, y.length);
  for (let i = 0; i < length; i++) if (x[i] !== y[i]) return i;
  return x.length === y.length ? undefined : length;
}

/** Columns a cut must show after a difference for the reader to see what changed. */
const AFTER_DIFFERENCE = 3;
/** Columns kept before the difference when the text around it has to be cut on both sides. */
const BEFORE_DIFFERENCE = 3;
/** Characters that open a formatted value: kept when the start is cut, so `"…` still reads as a string. */
const OPENERS = new Set(['"', '{', '[', '<']);

/**
 * The text cut to at most `width` columns such that the code point at index `at` (where it
 * differs from the value it is shown next to) stays in view: cut at the end when that shows it,
 * else cut at the start (keeping an opening quote or bracket), showing as much of the end as fits,
 * and at both ends when even that is too long. Two long values that share a prefix then read
 * `"…24:26.799Z" → "…24:31.120Z"` instead of two identical cut prefixes.
 */
export function cutToShow(text: string, width: number, at: number | undefined): string {
  if (textWidth(text) <= width) return text;
  const chars = [...text];
  if (at === undefined || width <= 1) return cutToWidth(text, width);
  const last = Math.min(at + AFTER_DIFFERENCE, chars.length) - 1;
  if (textWidth(chars.slice(0, last + 1).join('')) <= width - 1) return cutToWidth(text, width);

  const lead = at > 0 && OPENERS.has(chars[0]!) ? chars[0]! : '';
  const room = width - textWidth(lead) - 1;
  const from = Math.max(lead.length, Math.min(at, chars.length) - BEFORE_DIFFERENCE);
  // Nothing to cut at the start (the difference is near it), or no room for anything after `…`.
  if (from <= lead.length || room < 1) return cutToWidth(text, width);
  if (textWidth(chars.slice(from).join('')) > room) return lead + '…' + cutToWidth(chars.slice(from).join(''), room);
  // The end fits from before the difference on: give the spare columns to more of what precedes it.
  let start = from;
  let used = textWidth(chars.slice(from).join(''));
  while (start > lead.length && used + charWidth(chars[start - 1]!) <= room) {
    start -= 1;
    used += charWidth(chars[start]!);
  }
  return lead + '…' + chars.slice(start).join('');
}
