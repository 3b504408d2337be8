import { describe, expect, it } from 'vitest';
import { statusLines, type StatusBarProps } from '../../src/ui/status-bar.js';

const base: StatusBarProps = {
  stream: 'Users', viewType: 'NEW_AND_OLD_IMAGES', mode: 'diff', seen: 0, perSecond: 0,
  shards: { total: 1, open: 1, closed: 0 }, shardsReading: 1, caughtUp: true, paused: false, buffered: 0,
  dropped: 0, maxBuffered: 5000, behindMs: 0, queued: 0, droppedBehind: 0, done: false, color: false, width: 40,
};

describe('statusLines', () => {
  it('counts one record as one record', () => {
    expect(statusLines({ ...base, seen: 1 }).join('\n')).toContain('· 1 record ·');
    expect(statusLines({ ...base, seen: 2 }).join('\n')).toContain('· 2 records ·');
  });

  it('says the run is done when the reader has finished (-n or --until reached), not that the stream ended', () => {
    const text = statusLines({ ...base, seen: 1, done: true }).join('\n');
    expect(text).toMatch(/^done · showing diffs$/m);
    expect(text).not.toContain('stream ended');
    expect(text).not.toContain('live');
  });
});
