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
