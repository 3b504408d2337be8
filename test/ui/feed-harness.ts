import type { ReaderEvent, ShardBatch } from '../../src/stream/types.js';
import type { FeedSource } from '../../src/ui/tail-feed.js';

/** A source the test drives by hand: push pages and reader events, end or fail the stream. */
export interface ManualSource extends FeedSource {
  push(batch: ShardBatch): void;
  emit(event: ReaderEvent): void;
  end(): void;
  fail(error: Error): void;
  /** How many pages the consumer has taken so far. */
  taken(): number;
}

export function manualSource(): ManualSource {
  const queue: ShardBatch[] = [];
  const listeners = new Set<(event: ReaderEvent) => void>();
  let waiting: { resolve: (r: IteratorResult<ShardBatch>) => void; reject: (e: Error) => void } | undefined;
  let ended = false;
  let failure: Error | undefined;
  let taken = 0;

  const settle = (): void => {
    if (!waiting) return;
    const w = waiting;
    if (queue.length) {
      waiting = undefined;
      taken++;
      w.resolve({ value: queue.shift()!, done: false });
    } else if (failure) {
      waiting = undefined;
      w.reject(failure);
    } else if (ended) {
      waiting = undefined;
      w.resolve({ value: undefined, done: true });
    }
  };

  return {
    batches: {
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise<IteratorResult<ShardBatch>>((resolve, reject) => {
          waiting = { resolve, reject };
          settle();
        }),
        return: async () => {
          ended = true;
          return { value: undefined, done: true };
        },
      }),
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    push(batch) {
      queue.push(batch);
      settle();
    },
    emit(event) {
      for (const listener of listeners) listener(event);
    },
    end() {
      ended = true;
      settle();
    },
    fail(error) {
      failure = error;
      settle();
    },
    taken: () => taken,
  };
}
