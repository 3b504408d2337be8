import { describe, expect, it } from 'vitest';
import { batch, insert, press, settle, startView as start, useViewClock } from './tail-app-harness.js';

useViewClock();

describe('TailApp keys arriving together', () => {
  it('acts on each key of one read: `d` then space pasted together switch the mode and pause', async () => {
    const { source, frame, written, app } = start();
    await settle();
    await press(app, 'd ');
    expect(frame()).toContain('showing full images');
    expect(frame()).toContain('paused 0 buffered');
    source.push(batch(insert('held')));
    await settle();
    expect(written()).not.toContain('pk=held');
    await press(app, ' d');
    expect(frame()).toContain('showing diffs');
    expect(frame()).toContain('live');
    expect(written()).toContain('pk=held');
  });

  it('quits on a q that arrives with other keys, and does nothing after it', async () => {
    const { app, onQuit, frame } = start();
    await settle();
    await press(app, 'dq ');
    expect(onQuit).toHaveBeenCalledTimes(1);
    expect(frame()).not.toContain('paused');
  });
});

describe('TailApp status area labels', () => {
  it('labels start and stop positions apart from filters', async () => {
    const { frame } = start({ filters: '--event MODIFY', positions: 'from trim horizon, at most 5 records' });
    await settle();
    expect(frame()).toContain('filters --event MODIFY');
    expect(frame()).toContain('reading from trim horizon, at most 5 records');
    expect(frame()).not.toContain('filters from');
  });

  it('shows positions without a filters line when nothing filters', async () => {
    const { frame } = start({ positions: 'from trim horizon' });
    await settle();
    expect(frame()).toContain('reading from trim horizon');
    expect(frame()).not.toContain('filters');
  });
});
