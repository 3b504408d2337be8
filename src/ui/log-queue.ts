import type { StreamRecord } from '../records/record.js';

/** What waits to be written to the scrolling log, with when the view received it. */
export type LogEntry =
  | { kind: 'record'; record: StreamRecord; receivedAt: number }
  | { kind: 'notice'; text: string; receivedAt: number };

/** Why records were dropped: the pause buffer was full, or the terminal fell behind. */
export type DropReason = 'paused' | 'behind';

/** Records dropped in a row for one reason; the log shows one line for it where they would have been. */
export interface Gap {
  reason: DropReason;
  count: number;
}

/** Below this many spent slots at the front, the array is not worth copying. */
const COMPACT_AFTER = 1024;

/**
 * The records (and notices) between the reader and the terminal, oldest first, holding at most
 * `maxRecords` records. Past that the oldest records go, and are counted as a gap at the front;
 * notices stay, as they are few and explain what looks odd.
 *
 * Pushing and taking are O(1) (an array with a moving head), so a queue kept full by a fast
 * stream costs no more per record than an empty one.
 */
export class LogQueue {
  private entries: (LogEntry | undefined)[] = [];
  private head = 0;
  private records = 0;
  private gaps: Gap[] = [];

  constructor(readonly maxRecords: number) {}

  /** Entries waiting, notices included. */
  get length(): number {
    return this.entries.length - this.head;
  }

  /** Records waiting. */
  get recordCount(): number {
    return this.records;
  }

  /** When the oldest waiting entry arrived; undefined when nothing waits. */
  oldestReceivedAt(): number | undefined {
    return this.entries[this.head]?.receivedAt;
  }

  /** Records dropped since the last `takeGaps`, for `reason` only. */
  pendingDrops(reason: DropReason): number {
    return this.gaps.reduce((sum, gap) => sum + (gap.reason === reason ? gap.count : 0), 0);
  }

  /** Adds an entry at the end; returns how many records had to go to keep the bound. */
  push(entry: LogEntry, reason: DropReason): number {
    this.entries.push(entry);
    if (entry.kind !== 'record') return 0;
    this.records++;
    if (this.records <= this.maxRecords) return 0;
    this.dropOldestRecord();
    const last = this.gaps.at(-1);
    if (last?.reason === reason) last.count++;
    else this.gaps.push({ reason, count: 1 });
    return 1;
  }

  /** The oldest entry, removed; undefined when empty. */
  shift(): LogEntry | undefined {
    if (this.head >= this.entries.length) return undefined;
    const entry = this.entries[this.head];
    this.entries[this.head++] = undefined;
    if (entry?.kind === 'record') this.records--;
    this.compact();
    return entry;
  }

  /** The gaps that come before the next entry, in the order they happened; cleared. */
  takeGaps(): Gap[] {
    const gaps = this.gaps;
    this.gaps = [];
    return gaps;
  }

  private dropOldestRecord(): void {
    let at = this.head;
    while (this.entries[at]?.kind !== 'record') at++;
    // Notices ahead of the dropped record move up one slot, keeping their order.
    for (let i = at; i > this.head; i--) this.entries[i] = this.entries[i - 1];
    this.entries[this.head++] = undefined;
    this.records--;
    this.compact();
  }

  private compact(): void {
    if (this.head > COMPACT_AFTER && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }
}
