import { UsageError } from '../util/errors.js';
import type { FromSpec, UntilSpec } from '../stream/position.js';

// The user's words for a position: `--from` and `--until` as text become the stream's FromSpec
// and UntilSpec here, and a value that is no position is refused with the forms that are.

const FROM_FORMS =
  'trim-horizon, latest, a sequence number (digits), an ISO 8601 time (2024-05-01T10:00:00Z) ' +
  'or a duration back from now (90s, 15m, 2h, 1d, 1h30m)';
const UNTIL_FORMS =
  'an ISO 8601 time (2024-05-01T10:00:00Z), a duration back from now (90s, 15m, 2h, 1d, 1h30m) ' +
  'or a sequence number (digits)';

/** `--from` as text. Durations count back from `now`. */
export function parseFrom(text: string, now: Date): FromSpec {
  const value = text.trim();
  const lower = value.toLowerCase();
  if (lower === 'trim-horizon' || lower === 'trim_horizon') return { kind: 'trim-horizon' };
  if (lower === 'latest') return { kind: 'latest' };
  const position = parseTimeOrSequence(value, now, '--from', FROM_FORMS);
  return position.kind === 'sequence' ? position : { kind: 'time', time: position.time, input: value };
}

/** `--until` as text: a time or a sequence number, never a stream position. Durations count back from `now`. */
export function parseUntil(text: string, now: Date): UntilSpec {
  const value = text.trim();
  const lower = value.toLowerCase();
  if (lower === 'trim-horizon' || lower === 'trim_horizon' || lower === 'latest') {
    throw new UsageError(`--until "${text}" is not an end point: use ${UNTIL_FORMS}`);
  }
  return parseTimeOrSequence(value, now, '--until', UNTIL_FORMS);
}

const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/i;

/** `90s`, `15m`, `2h`, `1d`, `1h30m` as milliseconds; undefined when the text is no duration. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match || match.slice(1).every((part) => part === undefined)) return undefined;
  const [, d, h, m, s] = match;
  return Number(d ?? 0) * 86_400_000 + Number(h ?? 0) * 3_600_000 + Number(m ?? 0) * 60_000 + Number(s ?? 0) * 1000;
}

const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

/**
 * An ISO 8601 date or date-time. A time without an offset is UTC, like the times ddbstream
 * prints, so a time copied from its output means the same instant. Undefined when invalid.
 */
export function parseIsoTime(text: string): Date | undefined {
  const match = ISO_TIME.exec(text.trim());
  if (!match) return undefined;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zulu, sign, offH, offM] = match;
  const y = Number(year), mo = Number(month), d = Number(day);
  const h = Number(hour), mi = Number(minute), s = Number(second);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const ms = fraction ? Math.floor(Number(fraction.padEnd(3, '0').slice(0, 3))) : 0;
  let utc = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  // Date.UTC rolls 31 April into 1 May: reject days the month does not have.
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return undefined;
  if (!zulu && sign) {
    const offset = (Number(offH) * 60 + Number(offM)) * 60_000;
    if (Number(offH) > 23 || Number(offM) > 59) return undefined;
    utc -= sign === '+' ? offset : -offset;
  }
  return new Date(utc);
}

function parseTimeOrSequence(
  value: string,
  now: Date,
  option: '--from' | '--until',
  forms: string,
): { kind: 'sequence'; sequenceNumber: string } | { kind: 'time'; time: Date; input: string } {
  if (/^\d+$/.test(value)) {
    if (value.length > 40) {
      throw new UsageError(`${option} "${value}" has ${value.length} digits; a sequence number has at most 40`);
    }
    return { kind: 'sequence', sequenceNumber: value };
  }
  const duration = parseDuration(value);
  if (duration !== undefined) {
    if (duration === 0) throw new UsageError(`${option} "${value}" is a zero duration: give a time back from now such as 15m`);
    return { kind: 'time', time: new Date(now.getTime() - duration), input: value };
  }
  const time = parseIsoTime(value);
  if (time) return { kind: 'time', time, input: value };
  throw new UsageError(`${option} "${value}" is not understood: use ${forms}`);
}
