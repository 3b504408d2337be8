interface Waiter {
  /** Answers if the table as last seen allows; true once answered. */
  settle(): boolean;
  reject(error: unknown): void;
}

/**
 * Callers of the coordinator waiting for the lease table to let them go on (a shard's turn, the
 * next segment of a backfill). Each says how it reads the table; after every round the
 * coordinator asks them all again.
 */
export class TurnWaiters {
  private readonly waiting = new Set<Waiter>();

  /**
   * Resolves with `decide`'s first answer that is not 'wait' (after `accept` took note of it),
   * or with `idle` once `signal` aborts.
   */
  wait<T>(signal: AbortSignal, idle: T, decide: () => T | 'wait', accept: (answer: T) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (signal.aborted) return resolve(idle);
      const waiter: Waiter = {
        settle: () => {
          const answer = decide();
          if (answer === 'wait') return false;
          done();
          accept(answer);
          resolve(answer);
          return true;
        },
        reject: (error) => {
          done();
          reject(error);
        },
      };
      const onAbort = (): void => {
        this.waiting.delete(waiter);
        resolve(idle);
      };
      const done = (): void => signal.removeEventListener('abort', onAbort);
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.add(waiter);
    });
  }

  /** Asks every waiter again. */
  answer(): void {
    for (const waiter of [...this.waiting]) if (waiter.settle()) this.waiting.delete(waiter);
  }

  /** The group failed: every waiter gets the error. */
  fail(error: unknown): void {
    for (const waiter of this.waiting) waiter.reject(error);
    this.waiting.clear();
  }
}
