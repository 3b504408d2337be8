/**
 * Characters a terminal acts on instead of showing, or that change how the text around them
 * reads:
 * - C0 controls and DEL (ESC starts every CSI and OSC sequence: bold, cursor moves, a new
 *   window title, in some terminals the clipboard);
 * - C1 controls, U+0080–U+009F (U+009B is an 8-bit CSI, U+009D an 8-bit OSC);
 * - bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the
 *   direction marks (U+200E, U+200F, U+061C), which reorder what the user reads;
 * - the line and paragraph separators U+2028 and U+2029, which some terminals break lines on.
 */
const UNSAFE_CLASS = '[\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]';
const UNSAFE_ALL = new RegExp(UNSAFE_CLASS, 'gu');
const UNSAFE_ANY = new RegExp(UNSAFE_CLASS, 'u');

const escapeOne = (char: string): string => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * Text that came from outside (stream data, names, error messages) made safe to write to a
 * terminal: every character above becomes a visible `\u009b`-style escape, the same spelling
 * JSON uses inside strings, so a quoted value reads the same whichever kind of control it held.
 * Idempotent: the output contains none of those characters. Only for display: NDJSON and `--raw`
 * output are data and stay exact.
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_ALL, escapeOne);
}

/** `true` when `terminalSafe` would change the text. */
export function needsTerminalEscape(text: string): boolean {
  return UNSAFE_ANY.test(text);
}
