/**
 * A bounded FIFO between many producers (shard readers) and one consumer (the generator).
 * `push` waits while the queue is full: that is how stdout backpressure reaches GetRecords,
 * keeping memory bounded whatever the stream size.
 */
export class AsyncQueue<T> {
  private readonly items: T[] = [];
  private readonly waitingProducers: Array<() => void> = [];
  private waitingConsumer: (() => void) | undefined;
  private closed = false;
  private failure: { error: unknown } | undefined;

  constructor(private readonly capacity: number) {}

  async push(item: T): Promise<void> {
    while (this.items.length >= this.capacity && !this.closed) {
      await new Promise<void>((resolve) => this.waitingProducers.push(resolve));
    }
    if (this.closed) return;
    this.items.push(item);
    this.wakeConsumer();
  }

  /**
   * The next item, or undefined once the queue is closed and drained. After a `fail`, the items
   * queued before it come first, then the error: they were read, and may be all that is left.
   */
  async shift(): Promise<T | undefined> {
    for (;;) {
      const item = this.items.shift();
      if (item !== undefined) {
        this.waitingProducers.shift()?.();
        return item;
      }
      if (this.failure) throw this.failure.error;
      if (this.closed) return undefined;
      await new Promise<void>((resolve) => (this.waitingConsumer = resolve));
    }
  }

  /** No more items will come; the consumer drains what is queued. Wakes blocked producers. */
  close(): void {
    this.closed = true;
    this.wakeConsumer();
    for (const wake of this.waitingProducers.splice(0)) wake();
  }

  fail(error: unknown): void {
    this.failure ??= { error };
    this.close();
  }

  get size(): number {
    return this.items.length;
  }

  private wakeConsumer(): void {
    const wake = this.waitingConsumer;
    this.waitingConsumer = undefined;
    wake?.();
  }
}

/** A counting semaphore bounding concurrent GetRecords calls (`--concurrency`). */
export class Semaphore {
  private readonly waiting: Array<() => void> = [];
  constructor(private available: number) {}

  async acquire(): Promise<() => void> {
    if (this.available > 0) {
      this.available--;
    } else {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.available++;
    };
  }
}
