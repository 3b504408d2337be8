import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { Waiters } from '../../src/replay/waiters.js';

function pending<T>(): { iterator: AsyncIterator<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const next = new Promise<IteratorResult<T>>((res, rej) => {
    resolve = (value) => res({ value, done: false });
    reject = rej;
  });
  return { iterator: { next: () => next }, resolve, reject };
}

describe('Waiters.next', () => {
  it('gives the source\'s next value', async () => {
    const waiters = new Waiters();
    const source = pending<string>();
    const next = waiters.next(source.iterator, () => false);
    source.resolve('page');
    await expect(next).resolves.toEqual({ value: 'page', done: false });
  });

  it('gives up waiting once the run stops, while the source still hangs', async () => {
    const waiters = new Waiters();
    let stopped = false;
    const next = waiters.next(pending<string>().iterator, () => stopped);
    stopped = true;
    waiters.notify();
    await expect(next).resolves.toBe('stopped');
  });

  it('does not ask a stopped run\'s source for more', async () => {
    let asked = 0;
    const iterator: AsyncIterator<string> = { next: () => (asked++, Promise.resolve({ value: 'x', done: false })) };
    await expect(new Waiters().next(iterator, () => true)).resolves.toBe('stopped');
    expect(asked).toBe(0);
  });

  it('passes on the source\'s failure', async () => {
    const waiters = new Waiters();
    const source = pending<string>();
    const next = waiters.next(source.iterator, () => false);
    source.reject(new Error('GetRecords failed'));
    await expect(next).rejects.toThrow('GetRecords failed');
  });
});

describe('Waiters.next over a long run', () => {
  it('keeps no page it gave: a run of many pages holds only the ones still in use', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const waiters = new Waiters();
    const given: Array<WeakRef<object>> = [];
    const source: AsyncIterator<object> = {
      next: () => {
        const page = { records: new Array(1000).fill('x') };
        given.push(new WeakRef(page));
        return Promise.resolve({ value: page, done: false });
      },
    };
    for (let i = 0; i < 50; i++) {
      const next = await waiters.next(source, () => false);
      expect(next).not.toBe('stopped');
      waiters.notify();
    }
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(given.filter((ref) => ref.deref() !== undefined).length).toBeLessThanOrEqual(1);
  });
});
