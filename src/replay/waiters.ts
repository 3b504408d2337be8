/** Promises that resolve when a condition over shared state becomes true; `notify` re-checks. */
export class Waiters {
  private list: Array<() => void> = [];

  notify(): void {
    const list = this.list;
    this.list = [];
    for (const wake of list) wake();
  }

  async until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise<void>((resolve) => this.list.push(resolve));
  }

  /**
   * The iterator's next result, or 'stopped' once `stopped()` turns true. Not a race against one
   * promise of the whole run: each race leaves a reaction on that promise holding the value it
   * settled with, so every page read would stay in memory until the run ended.
   */
  next<T>(iterator: AsyncIterator<T>, stopped: () => boolean): Promise<IteratorResult<T> | 'stopped'> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const check = (): void => {
        if (settled) return;
        if (!stopped()) return void this.list.push(check);
        settled = true;
        resolve('stopped');
      };
      check();
      if (settled) return;
      iterator.next().then((result) => {
        settled = true;
        resolve(result);
      }, (error: unknown) => {
        settled = true;
        reject(error);
      });
    });
  }

  /** Sleeps `ms`, or less when `interrupted()` turns true. */
  sleep(ms: number, interrupted: () => boolean): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(done, ms);
      const check = (): void => {
        if (interrupted()) done();
        else this.list.push(check);
      };
      this.list.push(check);
    });
  }
}
