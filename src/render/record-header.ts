import type { ChalkInstance } from 'chalk';
import type { AttributeMap, EventName, StreamRecord } from '../records/record.js';
import { isTtlDelete } from '../records/record.js';
import { formatKeys } from './format-value.js';
import { terminalSafe } from './terminal-text.js';
import { textWidth } from './text-width.js';
import type { TableColors } from './table-colors.js';

const EVENT_COLOR: Record<EventName, 'green' | 'yellow' | 'red'> = { INSERT: 'green', MODIFY: 'yellow', REMOVE: 'red' };
const GAP = '  ';

/** The distinctive tail of a shard id: `shardId-00000001715000000000-3f9a1c2e` → `3f9a1c2e`. */
export function shortShardId(shardId: string): string {
  const tail = shardId.slice(shardId.lastIndexOf('-') + 1);
  return tail.length >= 4 ? tail : shardId;
}

function formatTime(time: Date): string {
  return Number.isNaN(time.getTime()) ? '?' : time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `10:00:05Z`: a stream keeps 24 hours, so the time of day is what tells records apart. */
function formatClock(time: Date): string {
  return Number.isNaN(time.getTime()) ? '?' : time.toISOString().slice(11, 19) + 'Z';
}

interface Segment {
  text: string;
  style: (text: string) => string;
}

/** Segments joined by two spaces; empty ones (a record without keys or table) left out. */
function line(segments: (Segment | undefined)[]): { text: string; width: number } {
  const shown = segments.filter((s): s is Segment => s !== undefined && s.text !== '');
  return {
    text: shown.map((s) => s.style(s.text)).join(GAP),
    width: textWidth(shown.map((s) => s.text).join(GAP)),
  };
}

/** The first variant that fits the width, else the last (the shortest): never cut. */
function firstFitting(variants: (Segment | undefined)[][], width: number): string {
  const lines = variants.map(line);
  return (lines.find((l) => l.width <= width) ?? lines[lines.length - 1]!).text;
}

export interface HeaderOptions {
  /** Columns to fit; undefined: everything on one line. */
  width?: number;
  /** Keep the table name however narrow the terminal: set when records of several tables are shown together. */
  keepTable?: boolean;
  /** Several tables: the colour of each one's name (a table not in it keeps the plain bold). */
  tableColors?: TableColors;
}

/**
 * The header of a record: time, event, table, keys, short shard id, sequence number. Keys and
 * sequence number are what a reader looks for and copies, so they are never cut; when the line is
 * too wide, the rest gives way: first the table name (one stream: the status area and the command
 * line name it), then the shard id, then the date of the time. When even that does not fit, the
 * header takes two lines, the second for shard id and sequence number, each line dropping the
 * same parts in the same order. A key longer than the terminal is left to wrap.
 */
export function recordHeader(record: StreamRecord, keys: AttributeMap, c: ChalkInstance, options: HeaderOptions): string[] {
  const event = record.eventName + (isTtlDelete(record) ? ' (TTL)' : '');
  const color = EVENT_COLOR[record.eventName] ?? 'yellow';
  const time: Segment = { text: formatTime(record.time), style: c.dim };
  const clock: Segment = { text: formatClock(record.time), style: c.dim };
  const what: Segment = { text: terminalSafe(event), style: c.bold[color] };
  const tableColor = options.tableColors?.get(record.table);
  const table: Segment | undefined = record.table
    ? { text: terminalSafe(record.table), style: tableColor ? c.bold[tableColor] : c.bold }
    : undefined;
  const optionalTable = options.keepTable ? table : undefined;
  const keyText: Segment = { text: terminalSafe(formatKeys(keys)), style: (t) => t };
  const shard: Segment = { text: `shard ${terminalSafe(shortShardId(record.shardId))}`, style: c.dim };
  const seq: Segment = { text: `seq ${terminalSafe(record.sequenceNumber)}`, style: c.dim };

  const whole = [time, what, table, keyText, shard, seq];
  if (options.width === undefined) return [line(whole).text];
  const width = options.width;
  const oneLine = [
    whole,
    [time, what, optionalTable, keyText, shard, seq],
    [time, what, optionalTable, keyText, seq],
    [clock, what, optionalTable, keyText, seq],
  ];
  const fits = oneLine.map(line).find((l) => l.width <= width);
  if (fits) return [fits.text];
  return [
    firstFitting([[time, what, table, keyText], [time, what, optionalTable, keyText], [clock, what, optionalTable, keyText]], width),
    firstFitting([[shard, seq], [seq]], width),
  ];
}
