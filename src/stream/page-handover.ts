import { AsyncQueue } from './async-queue.js';
import type { ShardBatch } from './types.js';

/** A page in the queue, and how its shard reader learns that the consumer took it. */
export interface QueuedPage {
  batch: ShardBatch;
  taken: () => void;
}

/**
 * The pages on their way from the shard readers to the one consumer. A reader hands over a page
 * and learns when it is taken, so that it fetches its next page only then: fetching still
 * overlaps writing, but a fast shard cannot pile up pages (each a few MB of SDK objects).
 */
export class PageHandover {
  private readonly queue: AsyncQueue<QueuedPage>;
  /** Readers waiting for the consumer to take their page: a halt wakes them to stop. */
  private readonly awaitingTake = new Set<() => void>();

  constructor(capacity: number) {
    this.queue = new AsyncQueue(capacity);
  }

  /**
   * Queues a page: `queued` settles once it is in the queue (which may be full for a while),
   * `taken` once the consumer took it or the reader halted.
   */
  hand(batch: ShardBatch): { queued: Promise<void>; taken: Promise<void> } {
    let wake!: () => void;
    const taken = new Promise<void>((resolve) => {
      wake = () => {
        this.awaitingTake.delete(wake);
        resolve();
      };
    });
    this.awaitingTake.add(wake);
    return { queued: this.queue.push({ batch, taken: wake }), taken };
  }

  /** Queues a shard's last page: its reader ends after it and waits for nothing. */
  handLast(batch: ShardBatch): Promise<void> {
    return this.queue.push({ batch, taken: () => {} });
  }

  /** The next page, or undefined once closed and drained; throws the failure after the pages before it. */
  shift(): Promise<QueuedPage | undefined> {
    return this.queue.shift();
  }

  /** No more pages will come. */
  close(): void {
    this.queue.close();
  }

  /** The run ends with `error` once the pages already queued are taken. */
  fail(error: unknown): void {
    this.queue.fail(error);
  }

  /** Stop now: wake every reader blocked on a full queue or on its page being taken. */
  halt(): void {
    this.queue.close();
    for (const wake of this.awaitingTake) wake();
    this.awaitingTake.clear();
  }
}
