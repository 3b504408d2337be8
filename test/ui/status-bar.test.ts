import { describe, expect, it } from 'vitest';
import { MAX_STREAM_LINES, statusLines, type StatusBarProps } from '../../src/ui/status-bar.js';
import type { FeedStream } from '../../src/ui/tail-feed.js';
import { assignTableColors } from '../../src/render/table-colors.js';

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

describe('statusLines with several streams', () => {
  const HOUR = 3_600_000;
  const users: FeedStream = { name: 'Users', records: 1234, shards: { total: 3, open: 2, closed: 1 }, shardsReading: 2, lagMs: (2 * 60 + 14) * 60_000 };
  const orders: FeedStream = { name: 'Orders', records: 56, shards: { total: 1, open: 1, closed: 0 }, shardsReading: 1, lagMs: 0 };
  const several = { ...base, stream: 'Users, Orders', viewType: undefined, seen: 1290, perSecond: 12, width: 120 };

  it('gives each stream a line: its name, shards, records and lag; the state line says live without a lag of its own', () => {
    expect(statusLines({ ...several, streams: [users, orders], lagMs: 2 * HOUR })).toEqual([
      '─'.repeat(120),
      '2 streams · 1,290 records · 12/s',
      'Users · shards 2 open, 1 closed (reading 2) · 1,234 records · behind 2h 14m',
      'Orders · shards 1 open, 0 closed (reading 1) · 56 records · caught up',
      'live · showing diffs',
      'space pause  d full images  c clear  q quit',
    ]);
  });

  it('shows a stream not yet listed or measured as such, with nothing invented', () => {
    const text = statusLines({ ...several, streams: [users, { name: 'Orders', records: 0, shardsReading: 0 }] });
    expect(text[3]).toBe('Orders · shards … · 0 records');
  });

  it('colours each stream\'s name as its records\' headers are coloured', () => {
    const text = statusLines({ ...several, color: true, streams: [users, orders], tableColors: assignTableColors(['Users', 'Orders']) });
    expect(text[2]!.startsWith('\u001b[1m\u001b[36mUsers\u001b[39m\u001b[22m')).toBe(true);
    expect(text[3]!.startsWith('\u001b[1m\u001b[35mOrders\u001b[39m\u001b[22m')).toBe(true);
  });

  it(`past ${MAX_STREAM_LINES} streams, one combined line: how many, their shards together, the one most behind`, () => {
    const streams = ['A', 'B', 'C', 'D', 'E'].map((name, i): FeedStream => ({
      name, records: 10, shards: { total: 2, open: 1, closed: 1 }, shardsReading: 1, lagMs: i === 3 ? 3 * HOUR : 0,
    }));
    const text = statusLines({ ...several, seen: 50, streams });
    expect(text).toEqual([
      '─'.repeat(120),
      '5 streams · shards 5 open, 5 closed (reading 5) · 50 records · 12/s · most behind: D, 3h 0m',
      'live · showing diffs',
      'space pause  d full images  c clear  q quit',
    ]);
    const caughtUp = statusLines({ ...several, streams: streams.map((s) => ({ ...s, lagMs: 0 })) });
    expect(caughtUp[1]).toMatch(/ · all caught up$/);
  });

  it('keeps the one-stream lines as they were', () => {
    const one = statusLines({ ...base, width: 60, seen: 3, lagMs: 40_000 });
    expect(one).toEqual(statusLines({ ...base, width: 60, seen: 3, lagMs: 40_000, streams: [users] }));
    expect(one[1]).toBe('Users · NEW_AND_OLD_IMAGES · shards 1 open, 0 closed (reading 1) · 3 records · 0.0/s');
    expect(one[2]).toBe('live · behind 40s · showing diffs');
  });
});
