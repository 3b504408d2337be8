import type { AttributeValue } from '@aws-sdk/client-dynamodb-streams';
import type { AttributeMap } from '../records/record.js';
import { formatAttributeName, kindOf } from '../records/diff.js';
import { mapOf } from '../records/attribute-kind.js';
import { wireJson } from '../records/exact-json.js';
import { bytesToBase64 } from '../util/base64.js';
import { needsTerminalEscape } from './terminal-text.js';

const formatBinary = (bytes: Uint8Array): string =>
  `<binary ${bytes.byteLength} byte${bytes.byteLength === 1 ? '' : 's'}: ${bytesToBase64(bytes)}>`;

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * One attribute value on one line, DynamoDB-aware: strings JSON-quoted (so newlines and quotes
 * stay visible), numbers as the exact digits sent, binary as its size and base64, sets in
 * PartiQL's `<<…>>` (so they never look like lists or maps), maps as `{name: value}` with names in
 * code-unit order (an untyped `{}` is an empty map), lists as `[…]`, and a value of a type this
 * version does not know as `<unknown …>` around its wire JSON, so nothing is hidden. Strings keep any C1 or bidi character as it is: a terminal
 * gets the text through `terminalSafe` (record-text does that for every line it writes).
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
      const map = mapOf(value);
      const names = Object.keys(map).sort(byCodeUnit);
      return `{${names.map((n) => `${formatAttributeName(n)}: ${formatValue(map[n]!)}`).join(', ')}}`;
    }
    case 'L': return `[${value.L!.map(formatValue).join(', ')}]`;
    case 'unknown': return `<unknown ${wireJson(value)}>`;
  }
}

/** No spaces, quotes, `=` or backslashes: a bare value could be misread with any of them. */
const BARE_KEY = /^[^\s"'=\\]+$/;

/**
 * A key value for a header: `alice` bare when that cannot be misread, else quoted. A value with a
 * control or bidi character is quoted too, so its `\u…` escapes (see terminal-text.ts) are never
 * taken for the value's own text.
 */
export function formatKeyValue(value: AttributeValue): string {
  const kind = kindOf(value);
  if (kind === 'S') return BARE_KEY.test(value.S!) && !needsTerminalEscape(value.S!) ? value.S! : JSON.stringify(value.S);
  if (kind === 'N') return value.N!;
  if (kind === 'B') return bytesToBase64(value.B!);
  return formatValue(value);
}

/** `pk=alice sk=profile`, in the order the record carries its keys. */
export function formatKeys(keys: AttributeMap): string {
  return Object.entries(keys).map(([name, value]) => `${formatAttributeName(name)}=${formatKeyValue(value)}`).join(' ');
}
