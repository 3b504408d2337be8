import { describe, expect, it } from 'vitest';
import { ContiguousCheckpoint, type CheckpointSlot } from '../../src/replay/contiguous-checkpoint.js';

const slot = (sequence: number): CheckpointSlot => ({ sequence: String(sequence), done: false });

describe('ContiguousCheckpoint', () => {
  it('starts settled, with nowhere to move', () => {
    const progress = new ContiguousCheckpoint();
    expect(progress.settled).toBe(true);
    expect(progress.advance()).toBeUndefined();
  });

  it('moves to the last record of the finished run at the front, and only when it grows', () => {
    const progress = new ContiguousCheckpoint();
    const [a, b, c] = [slot(1), slot(2), slot(3)];
    for (const s of [a, b, c]) progress.add(s);
    a.done = true;
    b.done = true;
    expect(progress.advance()).toBe('2');
    expect(progress.advance()).toBeUndefined();
    expect(progress.settled).toBe(false);
    c.done = true;
    expect(progress.advance()).toBe('3');
    expect(progress.settled).toBe(true);
  });

  it('a record finished early waits behind an older one still in flight', () => {
    const progress = new ContiguousCheckpoint();
    const slots = [slot(1), slot(2), slot(3), slot(4)];
    for (const s of slots) progress.add(s);
    slots[1]!.done = true;
    slots[3]!.done = true;
    expect(progress.advance()).toBeUndefined();
    slots[0]!.done = true;
    expect(progress.advance()).toBe('2');
    slots[2]!.done = true;
    expect(progress.advance()).toBe('4');
  });

  it('skipped records (filtered, dropped upstream) need no work but keep their place', () => {
    const progress = new ContiguousCheckpoint();
    const pending = slot(2);
    progress.skip('1');
    progress.add(pending);
    progress.skip('3');
    expect(progress.advance()).toBe('1');
    pending.done = true;
    expect(progress.advance()).toBe('3');
  });

  it('stays right across the clean-up of a long run of passed records', () => {
    const progress = new ContiguousCheckpoint();
    const first = Array.from({ length: 3000 }, (_, i) => slot(i + 1));
    for (const s of first) progress.add(s);
    for (const s of first.slice(0, 2500)) s.done = true;
    expect(progress.advance()).toBe('2500');
    const later = [slot(3001), slot(3002)];
    for (const s of later) progress.add(s);
    later[1]!.done = true;
    for (const s of first.slice(2500)) s.done = true;
    expect(progress.advance()).toBe('3000');
    later[0]!.done = true;
    expect(progress.advance()).toBe('3002');
    expect(progress.settled).toBe(true);
  });
});
