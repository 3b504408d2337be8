import type { StreamRecord } from '../records/record.js';
import { pastUntil, type UntilSpec } from './position.js';

/**
 * Records written up to a second late still carry a time before it (times are whole seconds, and
 * a write reaches the stream a moment after it is made): a quiet shard waits this long past an
 * `--until` time before it concludes that nothing more can come before it.
 */
export const UNTIL_TIME_GRACE_MS = 1_000;

/**
 * The `--until` point as the reader follows it. Each shard stops at its first record past it.
 * A shard that has caught up also stops once the point is behind us: the clock is past an
 * `--until` time (with the grace), or any shard has read a record past it. Whatever is written
 * after that can only come later.
 */
export class UntilPoint {
  private readonly isPast: (record: StreamRecord) => boolean;
  private readonly time: number | undefined;
  private recordPast = false;

  constructor(until: UntilSpec, private readonly now: () => number = Date.now) {
    this.isPast = pastUntil(until);
    this.time = until.kind === 'time' ? until.time.getTime() : undefined;
  }

  /** Whether the page reaches past the point (its shard is done there); notes that it is behind us. */
  reachedBy(records: readonly StreamRecord[]): boolean {
    const past = records.some(this.isPast);
    if (past) this.recordPast = true;
    return past;
  }

  /** Nothing written from now on can come before the point. */
  behindUs(): boolean {
    return this.recordPast || (this.time !== undefined && this.now() > this.time + UNTIL_TIME_GRACE_MS);
  }
}
