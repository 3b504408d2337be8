import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLEAR_SCREEN } from '../../src/ui/tail-app.js';
import type { StreamRecord } from '../../src/records/record.js';
import { record } from '../render/fixtures.js';
import { SHARD, advance, batch, insert, nextSequenceNumber, occurrences, press, settle, startView as start, useViewClock } from './tail-app-harness.js';

useViewClock();

describe('TailApp', () => {
  it('writes each record once to the log and counts it in the status area', async () => {
    const { source, frame, written, app } = start();
    expect(frame()).toContain('0 records');
    source.push(batch(insert('alice'), insert('bob')));
    await settle();
    const text = written();
    expect(text).toMatch(/INSERT {2}Users {2}pk=alice/);
    expect(text).toContain('email  "alice@example.com"');
    expect(text.indexOf('pk=alice')).toBeLessThan(text.indexOf('pk=bob'));
    for (const pk of ['alice', 'bob']) expect(occurrences(text, `pk=${pk}`)).toBe(1);
    // Log writes carry records only; the live area is drawn apart from them.
    expect(app.frames.filter((f) => f.includes('pk=')).every((f) => !f.includes('records ·'))).toBe(true);
    expect(frame()).toContain('2 records');
    expect(frame()).toContain('live');
    expect(frame()).not.toContain('pk=');
  });

  it('writes the records of one frame in one write, however many pages they came in', async () => {
    const { source, app } = start();
    await settle();
    for (let page = 0; page < 5; page++) source.push(batch(...Array.from({ length: 10 }, (_, i) => insert(`p${page}-${i}`))));
    await settle();
    const logWrites = app.frames.filter((f) => f.includes('pk='));
    expect(logWrites).toHaveLength(1);
    expect(occurrences(stripVTControlCharacters(logWrites[0]!), 'INSERT')).toBe(50);
  });

  it('shows the stream, view type, shard counts and filters', async () => {
    const { source, frame } = start({ filters: '--event MODIFY' });
    source.emit({ type: 'describe', shards: 3, open: 1, closed: 2 });
    source.emit({ type: 'shard-start', shardId: SHARD, from: 'LATEST' });
    await settle();
    expect(frame()).toContain('Users · NEW_AND_OLD_IMAGES · shards 1 open, 2 closed (reading 1)');
    expect(frame()).toContain('filters --event MODIFY');
    expect(frame()).toContain('catching up');
    source.emit({ type: 'caught-up' });
    await settle();
    expect(frame()).not.toContain('catching up');
  });

  it('space pauses: records are still read and counted, and shown on resume', async () => {
    const { source, frame, written, app } = start();
    source.push(batch(insert('alice')));
    await settle();
    await press(app, ' ');
    expect(frame()).toContain('paused 0 buffered');
    source.push(batch(insert('bob')));
    source.push(batch(insert('carol')));
    await settle();
    expect(frame()).toContain('paused 2 buffered');
    expect(source.taken()).toBe(3);
    expect(frame()).toContain('3 records');
    expect(written()).not.toContain('pk=bob');
    await press(app, ' ');
    const text = written();
    expect(text.indexOf('pk=alice')).toBeLessThan(text.indexOf('pk=bob'));
    expect(text.indexOf('pk=bob')).toBeLessThan(text.indexOf('pk=carol'));
    for (const pk of ['alice', 'bob', 'carol']) expect(occurrences(text, `pk=${pk}`)).toBe(1);
    expect(frame()).toContain('live');
  });

  it('bounds the pause buffer, says so, and marks the gap on resume', async () => {
    const { source, frame, written, app } = start({ maxBuffered: 2 });
    await press(app, ' ');
    source.push(batch(insert('r1'), insert('r2'), insert('r3'), insert('r4')));
    await settle();
    expect(frame()).toContain('paused 2 buffered · 2 dropped (only the latest 2 are kept)');
    await press(app, ' ');
    const text = written();
    expect(text).toContain('… 2 records not shown: while paused only the latest 2 are kept');
    expect(text.indexOf('not shown')).toBeLessThan(text.indexOf('pk=r3'));
    expect(text).not.toContain('pk=r1');
    expect(text).not.toContain('pk=r2');
    expect(text).toContain('pk=r4');
    expect(frame()).toContain('4 records');
    expect(frame()).not.toContain('dropped');
  });

  it('d switches between diffs and full images for the records that follow', async () => {
    const { source, frame, written, app } = start();
    const modify = (email: string): StreamRecord => record({
      eventName: 'MODIFY', sequenceNumber: nextSequenceNumber(), keys: { pk: { S: 'alice' } },
      oldImage: { pk: { S: 'alice' }, email: { S: 'old@example.com' } },
      newImage: { pk: { S: 'alice' }, email: { S: email } },
    });
    source.push(batch(modify('one@example.com')));
    await settle();
    expect(written()).toContain('~ email  "old@example.com" → "one@example.com"');
    expect(frame()).toContain('showing diffs');
    await press(app, 'd');
    expect(frame()).toContain('showing full images');
    source.push(batch(modify('two@example.com')));
    await settle();
    const later = written().slice(written().indexOf('one@example.com'));
    expect(later).toMatch(/old image:\n\s+pk\s+"alice"\n\s+email\s+"old@example.com"/);
    expect(later).toMatch(/new image:\n\s+pk\s+"alice"\n\s+email\s+"two@example.com"/);
  });

  it('q and Ctrl-C quit', async () => {
    const first = start();
    await press(first.app, 'q');
    expect(first.onQuit).toHaveBeenCalledTimes(1);
    const second = start();
    await press(second.app, '\u0003');
    expect(second.onQuit).toHaveBeenCalledTimes(1);
  });

  it('c clears the screen', async () => {
    const { source, app } = start();
    source.push(batch(insert('alice')));
    await settle();
    await press(app, 'c');
    expect(app.frames.some((f) => f.startsWith(CLEAR_SCREEN))).toBe(true);
  });

  it('shows backoff while the endpoint misbehaves and clears it on recovery', async () => {
    const { source, frame } = start();
    source.emit({ type: 'backoff', reason: 'ThrottlingException', delayMs: 1500, attempt: 2 });
    await settle();
    expect(frame()).toContain('backing off 1.5 s (attempt 2): ThrottlingException');
    source.emit({ type: 'recovered' });
    await settle();
    expect(frame()).not.toContain('backing off');
  });

  it('writes reader notices into the log', async () => {
    const { source, written } = start();
    source.emit({ type: 'iterator-expired', shardId: SHARD });
    await settle();
    expect(written()).toContain(`… shard ${SHARD}: iterator expired, resumed after the last record read`);
  });

  it('reports records per second over the last seconds, and lets it decay when idle', async () => {
    let now = 1_000_000;
    const { source, frame } = start({ now: () => now });
    now += 2_000;
    source.push(batch(insert('a'), insert('b'), insert('c'), insert('d')));
    await settle();
    expect(frame()).toContain('4 records · 2.0/s');
    now += 6_000;
    await advance(1_000);
    expect(frame()).toContain('4 records · 0.0/s');
  });

  it('shows what it holds and tells the caller when the stream ends or fails', async () => {
    const ended = start();
    ended.source.push(batch(insert('last')));
    ended.source.end();
    await settle();
    expect(ended.onEnd).toHaveBeenCalledWith(undefined);
    expect(ended.written()).toContain('pk=last');
    expect(ended.frame()).toContain('done');
    const failed = start();
    const error = new Error('endpoint gone');
    failed.source.fail(error);
    await settle();
    expect(failed.onEnd).toHaveBeenCalledWith(error);
  });

  it('cuts record lines to the terminal width unless wide', async () => {
    const long = { pk: { S: 'alice' }, bio: { S: 'x'.repeat(300) } };
    const narrow = start();
    narrow.source.push(batch(record({ eventName: 'INSERT', keys: { pk: { S: 'alice' } }, newImage: long })));
    await settle();
    const bio = narrow.written().split('\n').find((l) => l.includes('bio'))!;
    expect(bio.length).toBe(100);
    expect(bio.endsWith('…')).toBe(true);
    const wide = start({ wide: true });
    wide.source.push(batch(record({ eventName: 'INSERT', keys: { pk: { S: 'alice' } }, newImage: long })));
    await settle();
    expect(wide.written()).toContain('x'.repeat(300));
  });

  it('shows the escape sequences a key value carries instead of obeying them', async () => {
    const { source, app } = start({ color: true });
    source.push(batch(insert('evil\u001b[2J\u001b[Hx')));
    await settle();
    const logWrite = app.frames.find((f) => f.includes('INSERT'))!;
    expect(logWrite).toContain('pk="evil\\u001b[2J\\u001b[Hx"');
    expect(logWrite).not.toContain('\u001b[2J');
    expect(logWrite).not.toContain('\u001b[H');
    expect(logWrite).toContain('\u001b[32m'); // colours stay
  });
});
