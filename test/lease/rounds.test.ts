import { describe, expect, it } from 'vitest';
import { NotALeaseTableError } from '../../src/lease/errors.js';
import { Rounds } from '../../src/lease/rounds.js';

describe('Rounds', () => {
  it('runs one round at a time, and once more for requests made during one', async () => {
    let runs = 0;
    let release!: () => void;
    const rounds = new Rounds(async () => {
      runs++;
      if (runs === 1) await new Promise<void>((resolve) => (release = resolve));
    }, () => true, () => undefined);
    rounds.request();
    rounds.request();
    rounds.request();
    expect(runs).toBe(1);
    release();
    await rounds.settled();
    expect(runs).toBe(2);
  });

  it('gives up after six failed rounds in a row, at once on a table that is not a lease table', async () => {
    const failures: unknown[] = [];
    const flaky = new Rounds(() => Promise.reject(new Error('timeout')), () => failures.length === 0, (error) => failures.push(error));
    for (let i = 0; i < 5; i++) {
      flaky.request();
      await flaky.settled();
    }
    expect(failures).toEqual([]);
    flaky.request();
    await flaky.settled();
    expect(failures).toHaveLength(1);
    const wrong: unknown[] = [];
    const notLeases = new Rounds(() => Promise.reject(new NotALeaseTableError('T', 'its key is pk (HASH)')), () => true, (error) => wrong.push(error));
    notLeases.request();
    await notLeases.settled();
    expect(wrong).toHaveLength(1);
  });
});
