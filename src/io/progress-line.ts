/**
 * One status line on a terminal's stderr, redrawn in place at most a few times a second.
 * Silent when stderr is not a terminal, so logs and pipes stay clean.
 */
export class ProgressLine {
  private last = 0;
  private shown = false;

  constructor(private readonly stderr: NodeJS.WriteStream, private readonly enabled: boolean, private readonly intervalMs = 200) {}

  update(text: () => string, force = false): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.last < this.intervalMs) return;
    this.last = now;
    const width = this.stderr.columns ? this.stderr.columns - 1 : 120;
    this.stderr.write(`\r\x1b[2K${text().slice(0, width)}`);
    this.shown = true;
  }

  /** Remove the line (before a final summary, or on exit). */
  clear(): void {
    if (this.shown) this.stderr.write('\r\x1b[2K');
    this.shown = false;
  }
}

/** "12,345" */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
