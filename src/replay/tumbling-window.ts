import type { InvokeOutcome } from './engine-types.js';
import type { WindowFields } from './event-envelope.js';

/**
 * Lambda's tumbling windows (TumblingWindowInSeconds), the pure parts: which window a record
 * belongs to, and what a response must carry. Lambda keeps at most 1 MB of state per shard; a
 * state past that ends the window early (the window goes on with fresh state).
 */
export const MAX_STATE_BYTES = 1024 * 1024;

/** A window: [startMs, endMs), aligned to whole multiples of its size since the epoch. */
export interface WindowSpan {
  startMs: number;
  endMs: number;
}

export function windowOf(timeMs: number, sizeMs: number): WindowSpan {
  const startMs = Math.floor(timeMs / sizeMs) * sizeMs;
  return { startMs, endMs: startMs + sizeMs };
}

/** ISO 8601 UTC to the second, as Lambda writes `window.start` and `window.end`. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export type StateVerdict =
  | { ok: true; state: unknown; bytes: number }
  | { ok: false; reason: string };

/**
 * A successful response must carry `state` ({state, batchItemFailures?}); one without it is a
 * failed invocation, and goes through the retry rules like a function error.
 */
export function judgeWindowResponse(response: unknown): StateVerdict {
  if (response === null || typeof response !== 'object' || Array.isArray(response) || !('state' in response)) {
    return { ok: false, reason: 'the response has no state: with --tumbling-window the handler returns {state, batchItemFailures?}' };
  }
  const state = (response as { state: unknown }).state;
  if (state === undefined) return { ok: false, reason: 'the response\'s state is undefined' };
  return { ok: true, state, bytes: Buffer.byteLength(JSON.stringify(state)) };
}

/** A response without state, as the failed invocation the engine's retry rules expect. */
export function missingStateFailure(reason: string): InvokeOutcome {
  return { ok: false, error: { errorType: 'InvalidWindowResponse', errorMessage: reason } };
}

/** What the engine needs of a record to place it in a window. */
interface Timed {
  timeMs: number;
}

/**
 * One shard's window: the open window, the state the last invocation returned, and the records
 * handled in it, which the checkpoint may pass only once the window's final invocation succeeds
 * (after a restart the state would otherwise be lost with records behind the checkpoint).
 */
export class ShardWindow<Entry extends Timed = Timed> {
  current: WindowSpan | undefined;
  state: unknown = {};
  /** The last state passed 1 MB: a final invocation ends the window early, which then goes on. */
  terminatedEarly = false;
  /** Handled records of the open window, waiting for its final invocation. */
  readonly held: Entry[] = [];
  /** The stream of the window's records: a final invocation carries none. */
  streamArn = '';
  timer: NodeJS.Timeout | undefined;
  private proposed: { state: unknown; bytes: number } | undefined;

  constructor(readonly sizeMs: number) {}

  /** The window of a batch that starts with this record: never before the open one. */
  windowFor(first: Timed): WindowSpan {
    const own = windowOf(first.timeMs, this.sizeMs);
    return this.current && own.startMs < this.current.startMs ? this.current : own;
  }

  /** How many of the leading queued records belong to the window the first one starts (a batch never spans two). */
  runLength(queued: readonly Timed[]): number {
    if (queued.length === 0) return 0;
    const { endMs } = this.windowFor(queued[0]!);
    let count = 0;
    while (count < queued.length && queued[count]!.timeMs < endMs) count++;
    return count;
  }

  /** A record of a later window waits: the open window's records are all queued. */
  runClosed(queued: readonly Timed[]): boolean {
    return queued.length > 0 && this.runLength(queued) < queued.length;
  }

  /**
   * The open window's final invocation is due: its state passed 1 MB, or its records are all
   * handled and the window is over (a later window's record waits, the shard or the source
   * ended, or a caught-up shard's clock passed the window's end).
   */
  finalDue(queued: readonly Timed[], over: { ended: boolean; caughtUpAt?: number }): boolean {
    if (!this.current) return false;
    if (this.terminatedEarly) return true;
    if (queued.length > 0) return this.windowFor(queued[0]!).startMs !== this.current.startMs;
    return over.ended || (over.caughtUpAt !== undefined && over.caughtUpAt >= this.current.endMs);
  }

  /** A batch starts with this record: the window opens if none is. */
  open(first: Timed & { streamArn: string }): void {
    if (!this.current) {
      this.current = this.windowFor(first);
      this.state = {};
    }
    this.streamArn = first.streamArn;
  }

  /** Records of a batch: at most `batchSize`, and never past the end of the first one's window. */
  batchLimit(queued: readonly Timed[], batchSize: number): number {
    return Math.max(1, Math.min(batchSize, this.runLength(queued)));
  }

  /**
   * The outcome as the retry rules should see it: a response without state is a failed
   * invocation. The state a response carries is kept aside until the retry rules say which of
   * the batch's records are done (`commitState`).
   */
  judge(outcome: InvokeOutcome): InvokeOutcome {
    this.proposed = undefined;
    if (!outcome.ok) return outcome;
    const verdict = judgeWindowResponse(outcome.response);
    if (!verdict.ok) return missingStateFailure(verdict.reason);
    this.proposed = verdict;
    return outcome;
  }

  /** Some or all records of the batch are done: the state it returned is the window's now. */
  commitState(): void {
    if (this.proposed) this.accept(this.proposed.state, this.proposed.bytes);
    this.proposed = undefined;
  }

  /** The response of a successful (or partly successful) invocation of the open window. */
  accept(state: unknown, bytes: number): void {
    this.state = state;
    if (bytes > MAX_STATE_BYTES) this.terminatedEarly = true;
  }

  /** The final invocation is done (or given up on): the records it held may be passed. */
  close(): Entry[] {
    const released = this.held.splice(0);
    if (this.terminatedEarly) this.terminatedEarly = false;
    else this.current = undefined;
    this.state = {};
    return released;
  }

  fields(shardId: string, eventSourceARN: string, final: boolean): WindowFields {
    const window = this.current!;
    return {
      window: { start: isoSeconds(window.startMs), end: isoSeconds(window.endMs) },
      state: this.state,
      shardId,
      eventSourceARN,
      isFinalInvokeForWindow: final,
      isWindowTerminatedEarly: final && this.terminatedEarly,
    };
  }

  stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
