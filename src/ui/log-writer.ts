import type { RenderOptions } from '../render/record-text.js';
import type { LogQueue } from './log-queue.js';
import { entryText, gapText } from './log-text.js';

export interface DrainOptions {
  /** How records are laid out at the moment of writing (`d` and the terminal width can change). */
  render: () => RenderOptions;
  /** Writes text above the live area; synchronous on a terminal, so its time counts. */
  write: (text: string) => void;
  /** A monotonic clock in milliseconds. */
  clock: () => number;
  /** Stop starting new chunks once this much time has been spent; Infinity drains the queue. */
  budgetMs: number;
  /** Checked before each chunk: false while the terminal has not taken enough of the last ones. */
  ready?: () => boolean;
}

/** One write carries at most this much: many records per write, but no single write that stalls for long. */
const CHUNK_ENTRIES = 200;
const CHUNK_CHARS = 64 * 1024;

/**
 * Writes queued entries to the log, oldest first, each formatted once and let go: a gap line
 * where records were dropped, then the entries, many to a write. Works in chunks until the
 * queue is empty, the budget is spent (the writes' own time included) or the terminal is not
 * ready, so a slow terminal gets fewer records and the queue shows it. Returns how many entries
 * were written.
 */
export function drainLog(queue: LogQueue, options: DrainOptions): number {
  const started = options.clock();
  let written = 0;
  // Records are only dropped to make room for newer ones, so a gap never comes without an entry after it.
  while (queue.length > 0 && (options.ready?.() ?? true)) {
    const render = options.render();
    let text = '';
    for (const gap of queue.takeGaps()) text += gapText(gap, queue.maxRecords, render.color);
    let count = 0;
    while (count < CHUNK_ENTRIES && text.length < CHUNK_CHARS) {
      const entry = queue.shift();
      if (!entry) break;
      text += entryText(entry, render);
      count++;
    }
    options.write(text);
    written += count;
    if (options.clock() - started >= options.budgetMs) break;
  }
  return written;
}
