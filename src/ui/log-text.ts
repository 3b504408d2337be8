import { Chalk } from 'chalk';
import { renderRecord, type RenderOptions } from '../render/record-text.js';
import { terminalSafe } from '../render/terminal-text.js';
import type { Gap, LogEntry } from './log-queue.js';
import { plural } from '../util/plural.js';


/**
 * The text of one log entry as it goes to the terminal: its lines, then a blank line, as the
 * records and notices have always been laid out.
 */
export function entryText(entry: LogEntry, options: RenderOptions): string {
  if (entry.kind === 'notice') return noticeText(entry.text, options.color);
  // The renderer already escapes whatever came from the stream (render/terminal-text.ts).
  return renderRecord(entry.record, options).join('\n') + '\n\n';
}

export function noticeText(text: string, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  return c.yellow('… ' + terminalSafe(text)) + '\n\n';
}

/** The line that stands where dropped records would have been. */
export function gapText(gap: Gap, maxQueued: number, color: boolean): string {
  return noticeText(
    gap.reason === 'paused'
      ? `${plural(gap.count, 'record')} not shown: while paused only the latest ${maxQueued} are kept`
      : `${plural(gap.count, 'record')} dropped: the terminal could not keep up`,
    color,
  );
}
