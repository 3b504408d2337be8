/**
 * A status line kept at the bottom of a terminal's stderr, redrawn in place, with whole lines
 * (warnings, the handler's output) printed above it: each of them first erases the status line,
 * and the next update draws it again. When stderr is not a terminal only the whole lines are
 * written, so logs and pipes stay clean.
 */
export class ProgressLine {
  private shown = false;
  private lastDrawn = Number.NEGATIVE_INFINITY;

  /**
   * @param live draw the status line at all (a terminal, and the command wants it)
   * @param intervalMs redraw at most this often, unless an update is forced
   */
  constructor(
    private readonly out: NodeJS.WriteStream,
    readonly live: boolean,
    private readonly intervalMs = 200,
    private readonly now: () => number = Date.now,
  ) {}

  /** A line of its own, above the status line. */
  line(text: string): void {
    this.clear();
    this.out.write(text + '\n');
  }

  /**
   * Redraws the status line with `text` (a function, so that a skipped update costs nothing).
   * `force` draws even within the interval: for callers that keep their own pace.
   */
  update(text: string | (() => string), force = false): void {
    if (!this.live) return;
    const now = this.now();
    if (!force && now - this.lastDrawn < this.intervalMs) return;
    this.lastDrawn = now;
    this.out.write(`\r\x1b[2K${this.fit(typeof text === 'function' ? text() : text)}`);
    this.shown = true;
  }

  /** Removes the status line (before a line of its own, a final summary, or on exit). */
  clear(): void {
    if (!this.shown) return;
    this.out.write('\r\x1b[2K');
    this.shown = false;
  }

  /** Shorter than the terminal is wide: a line that wraps could not be erased in place. */
  private fit(text: string): string {
    const room = (this.out.columns ?? 0) - 1;
    if (room < 1 || text.length <= room) return text;
    return text.slice(0, room - 1) + '…';
  }
}

/** "12,345" */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
