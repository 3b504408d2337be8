import { stripVTControlCharacters } from 'node:util';
import { afterEach, beforeEach, vi } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { TailApp, type TailAppProps } from '../../src/ui/tail-app.js';
import { FRAME_MS, STATUS_MS } from '../../src/ui/use-tail-feed.js';
import type { StreamRecord } from '../../src/records/record.js';
import type { ShardBatch } from '../../src/stream/types.js';
import { record } from '../render/fixtures.js';
import { manualSource, type ManualSource } from './feed-harness.js';

/**
 * Fake timers and Date for the file that calls this: the view's frames and ticks run only when a
 * test lets time pass. React and ink schedule their own work with setImmediate and microtasks,
 * which stay real.
 */
export function useViewClock(): void {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });
}

export const SHARD = 'shardId-00000001714557600000-3f9a1c2e';
let seq = 100;

/** The next sequence number, as a record carries it. */
export const nextSequenceNumber = (): string => String(++seq).padStart(21, '0');

export function insert(pk: string): StreamRecord {
  return record({
    eventName: 'INSERT', sequenceNumber: nextSequenceNumber(),
    keys: { pk: { S: pk } }, newImage: { pk: { S: pk }, email: { S: `${pk}@example.com` } },
  });
}

export const batch = (...records: StreamRecord[]): ShardBatch => ({ shardId: SHARD, records, end: false, caughtUp: true });

/** React renders on its own scheduler: one turn lets a state change reach the screen. */
const rendered = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Time passes in frames of the view: the log is written and the status area redrawn. */
export async function advance(ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= FRAME_MS) {
    await vi.advanceTimersByTimeAsync(Math.min(FRAME_MS, left));
    await rendered();
  }
}

export const frames = (count = 1): Promise<void> => advance(count * FRAME_MS);

/** Long enough for the log and the status area to show everything so far. */
export const settle = (): Promise<void> => advance(STATUS_MS);

export interface StartedView {
  source: ManualSource;
  app: ReturnType<typeof render>;
  /** The live area as last drawn. */
  frame: () => string;
  /** Everything written to the log above the live area so far, in order. */
  written: () => string;
  onQuit: ReturnType<typeof vi.fn>;
  onEnd: ReturnType<typeof vi.fn>;
}

export function startView(overrides: Partial<TailAppProps> = {}): StartedView {
  const source = manualSource();
  const onQuit = vi.fn();
  const onEnd = vi.fn();
  const app = render(
    <TailApp source={source} stream="Users" viewType="NEW_AND_OLD_IMAGES" initialMode="diff" wide={false} color={false}
      onQuit={onQuit} onEnd={onEnd} {...overrides} />,
  );
  const frame = (): string => stripVTControlCharacters(app.lastFrame() ?? '');
  // Ink draws the live area and writes the log in separate frames; the live area starts with its rule.
  const written = (): string => app.frames.map((f) => stripVTControlCharacters(f)).filter((f) => !f.startsWith('─')).join('');
  return { source, frame, written, app, onQuit, onEnd };
}

export const occurrences = (text: string, needle: string): number => text.split(needle).length - 1;

export async function press(app: ReturnType<typeof render>, key: string): Promise<void> {
  app.stdin.write(key);
  await settle();
}
