import { describe, expect, it } from 'vitest';
import { assignTableColors } from '../../src/render/table-colors.js';
import type { FeedStream } from '../../src/ui/tail-feed.js';
import { advance, batch, insert, settle, startView as start, useViewClock } from './tail-app-harness.js';

useViewClock();

/** A record of table `table`, as a reader of that table's stream yields it. */
const of = (table: string, pk: string) => ({ ...insert(pk), table });

describe('TailApp with several streams: the log', () => {
  it('writes each table\'s name in its colour, the same for every record of it', async () => {
    const { source, app } = start({ stream: 'Users, Orders', color: true, keepTable: true, tableColors: assignTableColors(['Users', 'Orders']) });
    source.push(batch(of('Users', 'alice'), of('Orders', 'o-1'), of('Users', 'bob')));
    await settle();
    const log = app.frames.filter((f) => f.includes('INSERT')).join('');
    const headers = log.split('\n').filter((line) => line.includes('INSERT'));
    expect(headers).toHaveLength(3);
    expect(headers[0]).toContain('\u001b[1m\u001b[36mUsers\u001b[39m\u001b[22m');
    expect(headers[1]).toContain('\u001b[1m\u001b[35mOrders\u001b[39m\u001b[22m');
    expect(headers[2]).toContain('\u001b[1m\u001b[36mUsers\u001b[39m\u001b[22m');
  });

  it('writes no colour at all with colour off', async () => {
    const { source, app } = start({ stream: 'Users, Orders', color: false, keepTable: true, tableColors: assignTableColors(['Users', 'Orders']) });
    source.push(batch(of('Users', 'alice'), of('Orders', 'o-1')));
    await settle();
    const log = app.frames.filter((f) => f.includes('INSERT')).join('');
    expect(log).toContain('Orders');
    expect(log).not.toContain('\u001b[');
  });
});

describe('TailApp with several streams: the status area', () => {
  const HOUR = 3_600_000;
  const stream = (name: string, records: number, lagMs?: number): FeedStream => ({
    name, records, shards: { total: 2, open: 1, closed: 1 }, shardsReading: 1, ...(lagMs !== undefined ? { lagMs } : {}),
  });

  it('shows a line per stream with its records, shards and lag, and follows them as they change', async () => {
    const { source, frame } = start({ stream: 'Users, Orders', keepTable: true, tableColors: assignTableColors(['Users', 'Orders']) });
    let streams = [stream('Users', 0), stream('Orders', 0)];
    source.streams = () => streams;
    source.push(batch(of('Users', 'alice'), of('Orders', 'o-1'), of('Orders', 'o-2')));
    streams = [stream('Users', 1, (2 * 60 + 14) * 60_000 + 30_000), stream('Orders', 2, 40_000)];
    await settle();
    const lines = frame().split('\n');
    expect(lines).toContain('2 streams · 3 records · 3.0/s');
    expect(lines).toContain('Users · shards 1 open, 1 closed (reading 1) · 1 record · behind 2h 14m');
    expect(lines).toContain('Orders · shards 1 open, 1 closed (reading 1) · 2 records · behind 40s');
    expect(lines).toContain('live · showing diffs');
    streams = [stream('Users', 1, 0), stream('Orders', 2, 0)];
    await advance(1_000);
    expect(frame()).toContain('Users · shards 1 open, 1 closed (reading 1) · 1 record · caught up');
    expect(frame()).toContain('Orders · shards 1 open, 1 closed (reading 1) · 2 records · caught up');
  });

  it('folds many streams into one line that says how many and which is most behind', async () => {
    const { source, frame } = start({ stream: 'A, B, C, D, E' });
    source.streams = () => ['A', 'B', 'C', 'D', 'E'].map((name, i) => stream(name, 0, i === 2 ? 5 * HOUR : 1_000));
    // Nothing arrives: the status is refreshed on the view's clock.
    await advance(1_000);
    expect(frame()).toContain('5 streams · shards 5 open, 5 closed (reading 5) · 0 records · 0.0/s · most behind: C, 5h 0m');
    for (const name of ['A', 'B', 'D', 'E']) expect(frame()).not.toMatch(new RegExp(`^${name} · `, 'm'));
  });

  it('keeps the one-stream status area as it was', async () => {
    const { source, frame } = start();
    source.lag = () => 40_000;
    source.emit({ type: 'describe', shards: 1, open: 1, closed: 0 });
    source.push(batch(insert('alice')));
    await settle();
    const lines = frame().split('\n');
    expect(lines[1]).toBe('Users · NEW_AND_OLD_IMAGES · shards 1 open, 0 closed · 1 record · 1.0/s');
    expect(lines[2]).toBe('live · behind 40s · showing diffs');
  });
});
