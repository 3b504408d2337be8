import { EventEmitter } from 'node:events';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runTailUi } from '../../src/ui/run-tail-ui.js';
import { FRAME_MS } from '../../src/ui/use-tail-feed.js';
import { record } from '../render/fixtures.js';
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

/**
 * Until the view has drawn its first frame: it loads ink and React first, which on a busy machine
 * takes seconds. Turns of the event loop (setImmediate is left real under fake timers) bounded by
 * performance.now() (not faked either), so it holds with either clock.
 */
async function drawn(stdout: FakeStdout): Promise<void> {
  const deadline = performance.now() + 20_000;
  while (!stdout.output.includes('q quit') && performance.now() < deadline) await new Promise((r) => setImmediate(r));
  expect(stdout.output).toContain('q quit');
}

describe('runTailUi', () => {
  // ink reads CI when it first loads and, where it is set, draws nothing until the end: the view
  // must draw its frames on a terminal anyway, and leave CI as it found it.
  beforeAll(() => {
    vi.stubEnv('CI', 'true');
    vi.stubEnv('CONTINUOUS_INTEGRATION', '1');
  });
  afterAll(() => vi.unstubAllEnvs());

  it('resolves "quit" on q and gives the terminal back (raw mode off)', async () => {
    const { stdout, stdin, streams } = terminal();
    const done = runTailUi({ ...base, ...streams, source: manualSource() });
    await drawn(stdout);
    expect([process.env.CI, process.env.CONTINUOUS_INTEGRATION]).toEqual(['true', '1']);
    expect(stdin.rawMode).toBe(true);
    stdin.press('q');
    await expect(done).resolves.toBe('quit');
    expect(stdin.rawMode).toBe(false);
  });

  it('writes records above the live area, which is drawn again below them', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    try {
      const { stdout, stdin, streams } = terminal();
      const source = manualSource();
      const done = runTailUi({ ...base, ...streams, source });
      await drawn(stdout);
      const alice = record({ eventName: 'INSERT', keys: { pk: { S: 'alice' } }, newImage: { pk: { S: 'alice' } } });
      source.push({ shardId: 's', end: false, caughtUp: true, records: [alice] });
      await vi.advanceTimersByTimeAsync(FRAME_MS);
      const screen = stripVTControlCharacters(stdout.output);
      expect(screen.indexOf('pk=alice')).toBeGreaterThan(screen.indexOf('Users · '));
      expect(screen.lastIndexOf('Users · ')).toBeGreaterThan(screen.indexOf('pk=alice'));
      // The live area was erased before the record went out: ink's erase-lines sequence precedes it.
      const before = stdout.output.slice(0, stdout.output.indexOf('pk=alice'));
      expect(before.lastIndexOf('\u001b[2K')).toBeGreaterThan(before.lastIndexOf('Users · '));
      stdin.press('q');
      await vi.advanceTimersByTimeAsync(FRAME_MS);
      await expect(done).resolves.toBe('quit');
    } finally {
      vi.useRealTimers();
    }
  });

  it('resolves "end" when the stream ends and rejects with the reader error', async () => {
    const ended = manualSource();
    const first = terminal();
    const done = runTailUi({ ...base, ...first.streams, source: ended });
    ended.end();
    await expect(done).resolves.toBe('end');
    expect(first.stdout.output).toContain('done');

    const failing = manualSource();
    const second = terminal();
    const failed = runTailUi({ ...base, ...second.streams, source: failing });
    failing.fail(new Error('the stream is gone'));
    await expect(failed).rejects.toThrow('the stream is gone');
  });
});
