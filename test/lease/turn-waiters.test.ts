import { describe, expect, it } from 'vitest';
import { TurnWaiters } from '../../src/lease/turn-waiters.js';

describe('TurnWaiters', () => {
  it('answers a waiter once its decision is not to wait, after taking note of it', async () => {
    const waiters = new TurnWaiters();
    let ready = false;
    const accepted: string[] = [];
    const answer = waiters.wait(new AbortController().signal, 'idle', () => (ready ? 'go' : 'wait'), (a) => accepted.push(a));
    waiters.answer();
    expect(accepted).toEqual([]);
    ready = true;
    waiters.answer();
    expect(await answer).toBe('go');
    expect(accepted).toEqual(['go']);
    waiters.answer();
    expect(accepted).toEqual(['go']);
  });

  it('answers the idle value on abort, and rejects every waiter when the group fails', async () => {
    const waiters = new TurnWaiters();
    const stop = new AbortController();
    const aborted = waiters.wait(stop.signal, 'idle', () => 'wait' as const, () => undefined);
    stop.abort();
    expect(await aborted).toBe('idle');
    const failed = waiters.wait(new AbortController().signal, 'idle', () => 'wait' as const, () => undefined);
    waiters.fail(new Error('table gone'));
    await expect(failed).rejects.toThrow('table gone');
  });
});
