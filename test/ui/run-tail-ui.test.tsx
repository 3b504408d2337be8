import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { runTailUi } from '../../src/ui/run-tail-ui.js';
import { manualSource } from './feed-harness.js';

/** Just enough of a terminal for ink: a writable with columns, and a stdin that takes keys. */
class FakeStdout extends EventEmitter {
  readonly isTTY = true;
  columns = 100;
  rows = 40;
  output = '';
  write(chunk: string): boolean {
    this.output += chunk;
    return true;
  }
}

class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  rawMode = false;
  private pending: string | null = null;
  setRawMode(mode: boolean): void {
    this.rawMode = mode;
  }
  setEncoding(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  read(): string | null {
    const data = this.pending;
    this.pending = null;
    return data;
  }
  press(data: string): void {
    this.pending = data;
    this.emit('readable');
    this.emit('data', data);
  }
}

function terminal() {
  const stdout = new FakeStdout();
  const stdin = new FakeStdin();
  const stderr = new FakeStdout();
  const streams = {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
  };
  return { stdout, stdin, streams };
}

const base = { stream: 'Users', initialMode: 'diff' as const, wide: false, color: false };

describe('runTailUi', () => {
  it('resolves "quit" on q and gives the terminal back (raw mode off)', async () => {
    const { stdin, streams } = terminal();
    const done = runTailUi({ ...base, ...streams, source: manualSource() });
    await new Promise((r) => setTimeout(r, 30));
    expect(stdin.rawMode).toBe(true);
    stdin.press('q');
    await expect(done).resolves.toBe('quit');
    expect(stdin.rawMode).toBe(false);
  });

  it('resolves "end" when the stream ends and rejects with the reader error', async () => {
    const ended = manualSource();
    const first = terminal();
    const done = runTailUi({ ...base, ...first.streams, source: ended });
    ended.end();
    await expect(done).resolves.toBe('end');
    expect(first.stdout.output).toContain('stream ended');

    const failing = manualSource();
    const second = terminal();
    const failed = runTailUi({ ...base, ...second.streams, source: failing });
    failing.fail(new Error('the stream is gone'));
    await expect(failed).rejects.toThrow('the stream is gone');
  });
});
