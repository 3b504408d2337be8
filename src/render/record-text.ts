import { Chalk, type ChalkInstance } from 'chalk';
import type { AttributeMap, StreamRecord, StreamViewType } from '../records/record.js';
import { diffImages, formatAttributeName, type DiffEntry } from '../records/diff.js';
import { ownAttribute } from '../records/attribute-kind.js';
import { formatValue } from './format-value.js';
import { cutToShow, cutToWidth, firstDifference, textWidth } from './text-width.js';
import { terminalSafe } from './terminal-text.js';
import { recordHeader } from './record-header.js';
import type { TableColors } from './table-colors.js';

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
  /** Records of several tables share the output: the header keeps the table name however narrow. */
  keepTable?: boolean;
  /** Records of several tables share the output: each table's name in its own colour (when colour is on). */
  tableColors?: TableColors;
}

/** Paths longer than this do not widen the whole column; they just push their value right. */
const MAX_NAME_COLUMN = 24;
/** A value is never cut shorter than this, even if the line then overflows a narrow terminal. */
const MIN_VALUE_WIDTH = 8;

const SIGN: Record<DiffEntry['op'], { sign: string; color: 'green' | 'red' | 'yellow' }> = {
  add: { sign: '+', color: 'green' },
  remove: { sign: '-', color: 'red' },
  change: { sign: '~', color: 'yellow' },
};

/** A value on a row; `cut` shortens it when the row is too wide (default: cut at the end). */
interface Piece {
  text: string;
  style?: 'dim';
  cut?: (text: string, width: number) => string;
}

/**
 * Shares `available` columns among pieces that do not all fit: short pieces keep their length
 * and the rest split what is left evenly.
 */
function fitPieces(pieces: Piece[], available: number): string[] {
  const widths = pieces.map((p) => textWidth(p.text));
  if (widths.reduce((a, b) => a + b, 0) <= available) return pieces.map((p) => p.text);
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
  return pieces.map((p, i) => (p.cut ?? cutToWidth)(p.text, limits[i]!));
}

/**
 * Every text that reaches a line passes through `terminalSafe` here, before it is measured, cut
 * or coloured: stream data (values, names, keys) never writes a control sequence of its own.
 */
class LineWriter {
  readonly lines: string[] = [];
  constructor(private readonly c: ChalkInstance, private readonly width: number | undefined) {}

  note(indent: string, note: string): void {
    const text = terminalSafe(note);
    const plain = this.width === undefined ? text : cutToWidth(text, Math.max(this.width - indent.length, MIN_VALUE_WIDTH));
    this.lines.push(indent + this.c.dim(plain));
  }

  label(indent: string, text: string): void {
    this.lines.push(indent + this.c.bold(terminalSafe(text)));
  }

  /**
   * `<indent><sign> <name padded>  <piece><sep><piece>`: the pieces (values) are what gets cut
   * when the line is too wide; the name column is kept whole.
   */
  row(indent: string, sign: { text: string; color?: 'green' | 'red' | 'yellow' } | undefined, rawName: string, column: number,
    rawPieces: Piece[], separator: string): void {
    const name = terminalSafe(rawName);
    const pieces = rawPieces.map((p) => ({ ...p, text: terminalSafe(p.text) }));
    const signText = sign ? sign.text + ' ' : '';
    const padded = textWidth(name) < column ? name + ' '.repeat(column - textWidth(name)) : name;
    const lead = indent + signText + padded + '  ';
    let texts = pieces.map((p) => p.text);
    if (this.width !== undefined) {
      const cut = pieces.map((p, i) => (p.style === 'dim' ? undefined : i)).filter((i): i is number => i !== undefined);
      const fixed = textWidth(lead) + textWidth(separator) * (pieces.length - 1) +
        pieces.reduce((sum, p) => sum + (p.style === 'dim' ? textWidth(p.text) : 0), 0);
      const fitted = fitPieces(cut.map((i) => pieces[i]!), this.width - fixed);
      texts = texts.map((t, i) => (cut.includes(i) ? fitted[cut.indexOf(i)]! : t));
    }
    const coloredSign = sign ? (sign.color ? this.c[sign.color](sign.text) : sign.text) + ' ' : '';
    const body = texts.map((t, i) => (pieces[i]!.style === 'dim' ? this.c.dim(t) : t)).join(separator);
    this.lines.push(indent + coloredSign + padded + '  ' + body);
  }
}

function nameColumn(names: string[]): number {
  const widths = names.map((n) => textWidth(terminalSafe(n)));
  return Math.min(MAX_NAME_COLUMN, Math.max(0, ...widths.map((w) => (w <= MAX_NAME_COLUMN ? w : 0))));
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

// Own attributes only: an item's `constructor` or `valueOf` is shown, never taken for a key.
function itemOrder(image: AttributeMap, keys: AttributeMap): string[] {
  const keyNames = Object.keys(keys).filter((k) => ownAttribute(image, k) !== undefined);
  const rest = Object.keys(image).filter((n) => ownAttribute(keys, n) === undefined).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
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
  names.forEach((name, i) => out.row(indent, undefined, shown[i]!, column, [{ text: formatValue(ownAttribute(image, name)!) }], ''));
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
      const pieces: Piece[] = [];
      if (entry.added) pieces.push({ text: 'added', style: 'dim' }, { text: formatValue(entry.added) });
      if (entry.removed) pieces.push({ text: 'removed', style: 'dim' }, { text: formatValue(entry.removed) });
      out.row(indent, mark, entry.path, column, pieces, ' ');
    } else {
      // Cut both sides so the first difference stays in view: a long timestamp that changed in its
      // last digits must not read as two identical prefixes.
      const from = terminalSafe(formatValue(entry.from!));
      const to = terminalSafe(formatValue(entry.to!));
      const at = firstDifference(from, to);
      const cut = (text: string, width: number): string => cutToShow(text, width, at);
      out.row(indent, mark, entry.path, column, [{ text: from, cut }, { text: '→', style: 'dim' }, { text: to, cut }], ' ');
    }
  }
}

function streamPhrase(viewType: StreamViewType | undefined): string {
  if (!viewType) return 'this record';
  return `${viewType === 'OLD_IMAGE' ? 'an' : 'a'} ${viewType} stream`;
}

/**
 * A record as lines of text: a header (time, event, table, keys, short shard id, sequence
 * number), then what changed. Pure: no I/O, colour only through the chalk instance made here.
 */
export function renderRecord(record: StreamRecord, options: RenderOptions): string[] {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const out = new LineWriter(c, options.width);
  const keys = orderKeys(record.keys, options.keyNames);
  out.lines.push(...recordHeader(record, keys, c, { width: options.width, keepTable: options.keepTable, tableColors: options.tableColors }));
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
