import { AsyncQueue } from './async-queue.js';
import type { ShardBatch } from './types.js';

/** A page in the queue, and how its reader learns that the consumer took it. */
interface QueuedPage<P> {
  page: P;
  taken: () => void;
}

/**
 * The pages on their way from several readers (shards of a stream, segments of a Scan) to the
 * one consumer. A reader hands over a page and learns when it is taken, so that it fetches its
 * next page only then: fetching still overlaps writing, but a fast reader cannot pile up pages
 * (each a few MB).
 */
export class PageHandover<P = ShardBatch> {
  private readonly queue: AsyncQueue<QueuedPage<P>>;
  /** Readers waiting for the consumer to take their page: a halt wakes them to stop. */
  private readonly awaitingTake = new Set<() => void>();
  private halted = false;

  constructor(capacity: number) {
    this.queue = new AsyncQueue(capacity);
  }

  /**
   * Queues a page: `queued` settles once it is in the queue (which may be full for a while),
   * `taken` once the consumer took it or the handover halted.
   */
  hand(page: P): { queued: Promise<void>; taken: Promise<void> } {
    if (this.halted) return { queued: Promise.resolve(), taken: Promise.resolve() };
    let wake!: () => void;
    const taken = new Promise<void>((resolve) => {
      wake = () => {
        this.awaitingTake.delete(wake);
        resolve();
      };
    });
    this.awaitingTake.add(wake);
    return { queued: this.queue.push({ page, taken: wake }), taken };
  }

  /** Queues a reader's last page: it ends after it and waits for nothing. */
  handLast(page: P): Promise<void> {
    return this.queue.push({ page, taken: () => {} });
  }

  /**
   * The pages as the consumer takes them, each one's reader told. Ends once closed and drained,
   * and throws the failure after the pages queued before it. After `stop` aborts, pages still
   * queued stay undelivered: the caller asked to stop now, and what it never received is not
   * in its checkpoint, so nothing is lost.
   */
  async *pages(stop?: AbortSignal): AsyncGenerator<P> {
    for (;;) {
      const queued = await this.queue.shift();
      if (!queued || stop?.aborted) return;
      queued.taken();
      yield queued.page;
    }
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
    this.halted = true;
    this.queue.close();
    for (const wake of this.awaitingTake) wake();
    this.awaitingTake.clear();
  }
}
