/** One record's place in its shard's order; `done` once it is handled, filtered or given up on. */
export interface CheckpointSlot {
  readonly sequence: string;
  done: boolean;
}

/** Passed slots are dropped in one go once there are this many and they are most of the list. */
const COMPACT_AFTER = 1024;

/**
 * Where a shard's checkpoint may stand while its batches finish out of order (parallel lanes,
 * retries, bisected halves): at the last record of the contiguous run of finished records from
 * the start. A record that finished early waits behind an older one still in flight, so a
 * restart after a crash never skips an unhandled record.
 */
export class ContiguousCheckpoint {
  /** Slots not yet passed, in stream order, from `head` on (earlier ones are passed). */
  private slots: CheckpointSlot[] = [];
  private head = 0;

  /** Adds the shard's next record; the caller sets `done` on it when it is finished. */
  add(slot: CheckpointSlot): void {
    this.slots.push(slot);
  }

  /** A record that needs no work (filtered, or dropped before it reached the engine). */
  skip(sequence: string): void {
    this.slots.push({ sequence, done: true });
  }

  /** Moves over the finished records at the front; the new checkpoint, or undefined if it stayed. */
  advance(): string | undefined {
    let last: CheckpointSlot | undefined;
    while (this.head < this.slots.length && this.slots[this.head]!.done) {
      last = this.slots[this.head]!;
      this.head++;
    }
    // Cut the passed slots now and then, not on every move: a long replay would otherwise keep
    // every record's slot, and cutting each time would copy the list over and over.
    if (this.head > COMPACT_AFTER && this.head * 2 > this.slots.length) {
      this.slots.splice(0, this.head);
      this.head = 0;
    }
    return last?.sequence;
  }

  /** Every record added so far is finished and passed. */
  get settled(): boolean {
    return this.head === this.slots.length;
  }
}
