import { Chalk, type ChalkInstance } from 'chalk';
import type { AttributeMap, EventName, StreamRecord, StreamViewType } from '../records/record.js';
import { isTtlDelete } from '../records/record.js';
import { diffImages, formatAttributeName, type DiffEntry } from '../records/diff.js';
import { cutToWidth, formatKeys, formatValue, textWidth } from './format-value.js';

export interface RenderOptions {
  /** `diff`: a MODIFY shows old → new changes; `full`: whole old and new images. */
  mode: 'diff' | 'full';
  /** Cut lines to this many columns (values are shortened with `…`); undefined: never cut. */
  width?: number;
  color: boolean;
  /** The stream's view type when the caller knows it; else the record's own. */
  viewType?: StreamViewType;
  /** The table's key attributes, partition key first (the stream's KeySchema): keys show in this order. */
  keyNames?: readonly string[];
}

/** Paths longer than this do not widen the whole column; they just push their value right. */
const MAX_NAME_COLUMN = 24;
/** A value is never cut shorter than this, even if the line then overflows a narrow terminal. */
const MIN_VALUE_WIDTH = 8;
const MIN_KEYS_WIDTH = 12;

const EVENT_COLOR: Record<EventName, 'green' | 'yellow' | 'red'> = { INSERT: 'green', MODIFY: 'yellow', REMOVE: 'red' };
const SIGN: Record<DiffEntry['op'], { sign: string; color: 'green' | 'red' | 'yellow' }> = {
  add: { sign: '+', color: 'green' },
  remove: { sign: '-', color: 'red' },
  change: { sign: '~', color: 'yellow' },
};

/** The distinctive tail of a shard id: `shardId-00000001715000000000-3f9a1c2e` → `3f9a1c2e`. */
export function shortShardId(shardId: string): string {
  const tail = shardId.slice(shardId.lastIndexOf('-') + 1);
  return tail.length >= 4 ? tail : shardId;
}

function formatTime(time: Date): string {
  return Number.isNaN(time.getTime()) ? '?' : time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Shares `available` columns among pieces that do not all fit: short pieces keep their length
 * and the rest split what is left evenly.
 */
function fitPieces(pieces: string[], available: number): string[] {
  const widths = pieces.map(textWidth);
  if (widths.reduce((a, b) => a + b, 0) <= available) return pieces;
  const limits = new Array<number>(pieces.length).fill(0);
  let left = available;
  let open = pieces.map((_, i) => i);
  for (;;) {
    const share = Math.floor(left / Math.max(open.length, 1));
    const small = open.filter((i) => widths[i]! <= share);
    if (small.length === 0) {
      for (const i of open) limits[i] = Math.max(share, MIN_VALUE_WIDTH);
      break;
    }
    for (const i of small) {
      limits[i] = widths[i]!;
      left -= widths[i]!;
    }
    open = open.filter((i) => !small.includes(i));
    if (open.length === 0) break;
  }
  return pieces.map((p, i) => cutToWidth(p, limits[i]!));
}

class LineWriter {
  readonly lines: string[] = [];
  constructor(private readonly c: ChalkInstance, private readonly width: number | undefined) {}

  note(indent: string, text: string): void {
    const plain = this.width === undefined ? text : cutToWidth(text, Math.max(this.width - indent.length, MIN_VALUE_WIDTH));
    this.lines.push(indent + this.c.dim(plain));
  }

  label(indent: string, text: string): void {
    this.lines.push(indent + this.c.bold(text));
  }

  /**
   * `<indent><sign> <name padded>  <piece><sep><piece>`: the pieces (values) are what gets cut
   * when the line is too wide; the name column is kept whole.
   */
  row(indent: string, sign: { text: string; color?: 'green' | 'red' | 'yellow' } | undefined, name: string, column: number,
    pieces: { text: string; style?: 'dim' }[], separator: string): void {
    const signText = sign ? sign.text + ' ' : '';
    const padded = textWidth(name) < column ? name + ' '.repeat(column - textWidth(name)) : name;
    const lead = indent + signText + padded + '  ';
    let texts = pieces.map((p) => p.text);
    if (this.width !== undefined) {
      const cut = pieces.map((p, i) => (p.style === 'dim' ? undefined : i)).filter((i): i is number => i !== undefined);
      const fixed = textWidth(lead) + textWidth(separator) * (pieces.length - 1) +
        pieces.reduce((sum, p) => sum + (p.style === 'dim' ? textWidth(p.text) : 0), 0);
      const fitted = fitPieces(cut.map((i) => texts[i]!), this.width - fixed);
      texts = texts.map((t, i) => (cut.includes(i) ? fitted[cut.indexOf(i)]! : t));
    }
    const coloredSign = sign ? (sign.color ? this.c[sign.color](sign.text) : sign.text) + ' ' : '';
    const body = texts.map((t, i) => (pieces[i]!.style === 'dim' ? this.c.dim(t) : t)).join(separator);
    this.lines.push(indent + coloredSign + padded + '  ' + body);
  }
}

function nameColumn(names: string[]): number {
  return Math.min(MAX_NAME_COLUMN, Math.max(0, ...names.map((n) => (textWidth(n) <= MAX_NAME_COLUMN ? textWidth(n) : 0))));
}

/** Key attributes first (in the record's key order), then the rest by name. */
/** DynamoDB sends key attributes in no set order; the key schema puts the partition key first. */
function orderKeys(keys: AttributeMap, keyNames: readonly string[] | undefined): AttributeMap {
  if (!keyNames?.length) return keys;
  const rank = (name: string): number => {
    const at = keyNames.indexOf(name);
    return at < 0 ? keyNames.length : at;
  };
  return Object.fromEntries(Object.entries(keys).sort(([a], [b]) => rank(a) - rank(b)));
}

function itemOrder(image: AttributeMap, keys: AttributeMap): string[] {
  const keyNames = Object.keys(keys).filter((k) => image[k] !== undefined);
  const rest = Object.keys(image).filter((n) => keys[n] === undefined).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [...keyNames, ...rest];
}

function writeItem(out: LineWriter, indent: string, image: AttributeMap, keys: AttributeMap): void {
  const names = itemOrder(image, keys);
  if (names.length === 0) {
    out.note(indent, '(empty item)');
    return;
  }
  const shown = names.map(formatAttributeName);
  const column = nameColumn(shown);
  names.forEach((name, i) => out.row(indent, undefined, shown[i]!, column, [{ text: formatValue(image[name]!) }], ''));
}

function writeDiff(out: LineWriter, indent: string, entries: DiffEntry[]): void {
  if (entries.length === 0) {
    out.note(indent, '(no attribute changed)');
    return;
  }
  const column = nameColumn(entries.map((e) => e.path));
  for (const entry of entries) {
    const { sign, color } = SIGN[entry.op];
    const mark = { text: sign, color };
    if (entry.op === 'add') out.row(indent, mark, entry.path, column, [{ text: formatValue(entry.to!) }], '');
    else if (entry.op === 'remove') out.row(indent, mark, entry.path, column, [{ text: formatValue(entry.from!) }], '');
    else if (entry.added !== undefined || entry.removed !== undefined) {
      const pieces: { text: string; style?: 'dim' }[] = [];
      if (entry.added) pieces.push({ text: 'added', style: 'dim' }, { text: formatValue(entry.added) });
      if (entry.removed) pieces.push({ text: 'removed', style: 'dim' }, { text: formatValue(entry.removed) });
      out.row(indent, mark, entry.path, column, pieces, ' ');
    } else {
      out.row(indent, mark, entry.path, column,
        [{ text: formatValue(entry.from!) }, { text: '→', style: 'dim' }, { text: formatValue(entry.to!) }], ' ');
    }
  }
}

function streamPhrase(viewType: StreamViewType | undefined): string {
  if (!viewType) return 'this record';
  return `${viewType === 'OLD_IMAGE' ? 'an' : 'a'} ${viewType} stream`;
}

type Style = (text: string) => string;

/** Joins styled segments, cutting from the end when the plain text is wider than `width`. */
function joinCut(segments: { text: string; style: Style }[], separator: string, width: number | undefined): string {
  const out: string[] = [];
  let left = width ?? Infinity;
  for (const [i, segment] of segments.entries()) {
    const sep = i === 0 ? 0 : textWidth(separator);
    if (left - sep <= 0) break;
    const text = cutToWidth(segment.text, left - sep);
    out.push(segment.style(text));
    left -= sep + textWidth(text);
  }
  return out.join(separator);
}

/**
 * Time, event, table, keys, short shard id, sequence number. When too wide, the keys give way
 * first (down to a few columns), then the line is cut at the end.
 */
function header(record: StreamRecord, keys: AttributeMap, c: ChalkInstance, width: number | undefined): string {
  const event = record.eventName + (isTtlDelete(record) ? ' (TTL)' : '');
  const color = EVENT_COLOR[record.eventName] ?? 'yellow';
  const segments: { text: string; style: Style; keys?: true }[] = [
    { text: formatTime(record.time), style: c.dim },
    { text: event, style: c.bold[color] },
    ...(record.table ? [{ text: record.table, style: c.bold }] : []),
    { text: formatKeys(keys), style: (t: string) => t, keys: true as const },
    { text: `shard ${shortShardId(record.shardId)}  seq ${record.sequenceNumber}`, style: c.dim },
  ].filter((s) => s.text !== '');
  if (width !== undefined) {
    const total = textWidth(segments.map((s) => s.text).join('  '));
    const keys = segments.find((s) => s.keys);
    if (keys && total > width) {
      keys.text = cutToWidth(keys.text, Math.max(textWidth(keys.text) - (total - width), MIN_KEYS_WIDTH));
    }
  }
  return joinCut(segments, '  ', width);
}

/**
 * A record as lines of text: a header (time, event, table, keys, short shard id, sequence
 * number), then what changed. Pure: no I/O, colour only through the chalk instance made here.
 */
export function renderRecord(record: StreamRecord, options: RenderOptions): string[] {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const out = new LineWriter(c, options.width);
  const keys = orderKeys(record.keys, options.keyNames);
  out.lines.push(header(record, keys, c, options.width));
  const viewType = options.viewType ?? record.streamViewType;
  const { oldImage, newImage } = record;
  const indent = '  ';

  if (!oldImage && !newImage) {
    out.note(indent, viewType === 'KEYS_ONLY' || !viewType
      ? `(keys only: ${viewType ? 'a KEYS_ONLY stream' : 'this record'} carries no item images)`
      : `(${streamPhrase(viewType)} has no ${record.eventName === 'INSERT' ? 'new' : 'old'} image for ${record.eventName === 'INSERT' ? 'an' : 'a'} ${record.eventName}: only the keys above)`);
    return out.lines;
  }

  switch (record.eventName) {
    case 'INSERT':
      if (newImage) writeItem(out, indent, newImage, keys);
      else out.note(indent, `(${streamPhrase(viewType)} has no new image: only the keys above)`);
      break;
    case 'REMOVE':
      if (oldImage) writeItem(out, indent, oldImage, keys);
      else out.note(indent, `(${streamPhrase(viewType)} has no old image: only the keys above)`);
      break;
    default:
      if (oldImage && newImage) {
        if (options.mode === 'diff') writeDiff(out, indent, diffImages(oldImage, newImage));
        else {
          out.label(indent, 'old image:');
          writeItem(out, indent + '  ', oldImage, keys);
          out.label(indent, 'new image:');
          writeItem(out, indent + '  ', newImage, keys);
        }
      } else if (newImage) {
        out.note(indent, `(${streamPhrase(viewType)} has no old image, so there is no diff: the new item follows)`);
        writeItem(out, indent, newImage, keys);
      } else if (oldImage) {
        out.note(indent, `(${streamPhrase(viewType)} has no new image, so there is no diff: the old item follows)`);
        writeItem(out, indent, oldImage, keys);
      }
  }
  return out.lines;
}
