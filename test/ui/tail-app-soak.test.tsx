import { EventEmitter } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runTailUi } from '../../src/ui/run-tail-ui.js';
import { FRAME_MS } from '../../src/ui/use-tail-feed.js';
import type { StreamRecord } from '../../src/records/record.js';
import { record } from '../render/fixtures.js';
import { manualSource } from './feed-harness.js';

// A full collection on demand, as `node --expose-gc` gives it, without changing how vitest starts.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** A terminal that counts the records drawn on it and keeps nothing. */
class CountingTerminal extends EventEmitter {
  readonly isTTY = true;
  columns = 120;
  rows = 40;
  records = 0;
  written = 0;
  write(chunk: string): boolean {
    this.written += chunk.length;
    // Every record header ends with its sequence number (dimmed, so the word is counted, not its spaces).
    for (let at = chunk.indexOf('seq 0'); at !== -1; at = chunk.indexOf('seq 0', at + 1)) this.records++;
    return true;
  }
}

class IdleKeyboard extends EventEmitter {
  readonly isTTY = true;
  setRawMode(): void {}
  setEncoding(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  read(): null {
    return null;
  }
}

let sequence = 0;
function modify(): StreamRecord {
  const n = ++sequence;
  const pk = { S: `item-${n % 1000}` };
  return record({
    eventName: 'MODIFY', sequenceNumber: String(n).padStart(21, '0'), keys: { pk },
    oldImage: { pk, version: { N: String(n - 1) }, payload: { S: 'x'.repeat(100) } },
    newImage: { pk, version: { N: String(n) }, payload: { S: 'x'.repeat(100) } },
  });
}

function heapAfterGc(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the interactive view over many records', () => {
  it('does not grow its heap with the number of records shown', async () => {
    const terminal = new CountingTerminal();
    const keyboard = new IdleKeyboard();
    const source = manualSource();
    const done = runTailUi({
      source, stream: 'Soak', viewType: 'NEW_AND_OLD_IMAGES', keyNames: ['pk'], initialMode: 'diff', wide: false, color: true,
      stdout: terminal as unknown as NodeJS.WriteStream,
      stdin: keyboard as unknown as NodeJS.ReadStream,
      stderr: new CountingTerminal() as unknown as NodeJS.WriteStream,
    });
    // The view loads ink and React before it draws; turns of the event loop, not time.
    // Bounded by performance.now() (not faked): loading them takes seconds on a busy machine.
    const deadline = performance.now() + 20_000;
    while (terminal.written === 0 && performance.now() < deadline) await new Promise((r) => setImmediate(r));
    let pushed = 0;
    const show = async (count: number): Promise<void> => {
      for (let i = 0; i < count; i += 500) {
        source.push({ shardId: 'shardId-1', end: false, caughtUp: true, records: Array.from({ length: 500 }, modify) });
        pushed += 500;
        for (let frame = 0; frame < 100 && terminal.records < pushed; frame++) await vi.advanceTimersByTimeAsync(FRAME_MS);
      }
      expect(terminal.records).toBe(pushed);
    };

    await show(5_000);
    const before = heapAfterGc();
    await show(20_000);
    const after = heapAfterGc();

    // <Static> kept about 1–1.5 KB of every record it had printed; a view that keeps nothing stays
    // within GC noise. The bound leaves room for that noise on a busy machine.
    const bytesPerRecord = (after - before) / 20_000;
    expect(bytesPerRecord).toBeLessThan(150);

    source.end();
    await vi.advanceTimersByTimeAsync(FRAME_MS);
    await expect(done).resolves.toBe('end');
  });
});
