/**
 * Lines on stderr with, on a terminal, a status line kept at the bottom: every other line first
 * erases it, and the next progress tick draws it again.
 */
export class StatusLine {
  private shown = false;

  constructor(private readonly out: NodeJS.WriteStream, readonly live: boolean) {}

  line(text: string): void {
    this.erase();
    this.out.write(text + '\n');
  }

  progress(text: string): void {
    if (!this.live) return;
    const width = this.out.columns ?? 0;
    const fitted = width > 1 && text.length >= width ? text.slice(0, width - 2) + '…' : text;
    this.out.write(`\r\x1b[2K${fitted}`);
    this.shown = true;
  }

  erase(): void {
    if (!this.shown) return;
    this.out.write('\r\x1b[2K');
    this.shown = false;
  }
}
