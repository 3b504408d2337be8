import { describe, expect, it } from 'vitest';
import { advance, settle, startView as start, useViewClock } from './tail-app-harness.js';

useViewClock();

describe('TailApp lag', () => {
  it('shows how far behind the stream the reader is, and caught up at the tip', async () => {
    const { source, frame } = start();
    await settle();
    // Before anything is known the view says it is catching up, as before.
    expect(frame()).toContain('live catching up · showing diffs');
    let lag: number | undefined = ((2 * 60 + 14) * 60 + 30) * 1000;
    source.lag = () => lag;
    await advance(1_000);
    expect(frame()).toContain('live · behind 2h 14m');
    lag = 40_000;
    await advance(1_000);
    expect(frame()).toContain('live · behind 40s');
    lag = 0;
    await advance(1_000);
    expect(frame()).toContain('live · caught up');
    expect(frame()).not.toContain('catching up');
  });
});
