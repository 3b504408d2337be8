import type { Lane, RecordEntry, Unit } from './lane.js';
import type { ShardState } from './shard-state.js';
import { ShardWindow } from './tumbling-window.js';

/**
 * The engine's tumbling windows: one per shard (windows need parallelization factor 1, so a
 * shard has one lane), their final invocations, and the clock that closes a caught-up shard's
 * window in `--follow`.
 */
export class ShardWindows {
  private readonly windows = new Map<string, ShardWindow<RecordEntry>>();

  /** `sizeMs` 0: no windows. */
  constructor(private readonly sizeMs: number) {}

  of(shard: ShardState): ShardWindow<RecordEntry> | undefined {
    if (this.sizeMs <= 0) return undefined;
    let window = this.windows.get(shard.id);
    if (!window) this.windows.set(shard.id, (window = new ShardWindow<RecordEntry>(this.sizeMs)));
    return window;
  }

  /** The open window's final invocation, when it is due (see `ShardWindow.finalDue`). */
  finalUnit(shard: ShardState, lane: Lane, sourceDone: boolean, now: number): Unit | undefined {
    const window = this.of(shard);
    const over = { ended: shard.ended || sourceDone, ...(shard.caughtUp ? { caughtUpAt: now } : {}) };
    if (!window?.finalDue(lane.peek(), over)) return undefined;
    window.stopTimer();
    return { entries: [], retries: 0, invokeCount: 0, final: true };
  }

  /** A caught-up shard's open window closes when the clock passes its end: `wake` then. */
  awaitEnd(shard: ShardState, now: number, wake: () => void): void {
    const window = this.of(shard);
    if (!window?.current || !shard.caughtUp || window.timer) return;
    window.timer = setTimeout(() => {
      window.timer = undefined;
      wake();
    }, Math.max(0, window.current.endMs - now));
  }

  stopTimers(): void {
    for (const window of this.windows.values()) window.stopTimer();
  }
}
