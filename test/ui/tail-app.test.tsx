import { stripVTControlCharacters } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { CLEAR_SCREEN, TailApp, type TailAppProps } from '../../src/ui/tail-app.js';
import type { StreamRecord } from '../../src/records/record.js';
import type { ShardBatch } from '../../src/stream/types.js';
import { record } from '../render/fixtures.js';
import { manualSource, type ManualSource } from './feed-harness.js';

afterEach(() => cleanup());

const SHARD = 'shardId-00000001714557600000-3f9a1c2e';
let seq = 100;

function insert(pk: string): StreamRecord {
  seq++;
  return record({
    eventName: 'INSERT', sequenceNumber: `000000000000000000${seq}`,
    keys: { pk: { S: pk } }, newImage: { pk: { S: pk }, email: { S: `${pk}@example.com` } },
  });
}

const batch = (...records: StreamRecord[]): ShardBatch => ({ shardId: SHARD, records, end: false, caughtUp: true });

async function waitFor(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function start(overrides: Partial<TailAppProps> = {}): { source: ManualSource; frame: () => string; app: ReturnType<typeof render>; onQuit: ReturnType<typeof vi.fn>; onEnd: ReturnType<typeof vi.fn> } {
  const source = manualSource();
  const onQuit = vi.fn();
  const onEnd = vi.fn();
  const app = render(
    <TailApp source={source} stream="Users" viewType="NEW_AND_OLD_IMAGES" initialMode="diff" wide={false} color={false}
      onQuit={onQuit} onEnd={onEnd} {...overrides} />,
  );
  const frame = (): string => stripVTControlCharacters(app.lastFrame() ?? '');
  return { source, frame, app, onQuit, onEnd };
}

const occurrences = (text: string, needle: string): number => text.split(needle).length - 1;

const press = async (app: ReturnType<typeof render>, key: string): Promise<void> => {
  app.stdin.write(key);
  await new Promise((r) => setTimeout(r, 10));
};

describe('TailApp', () => {
  it('shows records as they arrive, above a status area that counts them', async () => {
    const { source, frame } = start();
    expect(frame()).toContain('0 records');
    source.push(batch(insert('alice'), insert('bob')));
    await waitFor(() => frame().includes('pk=bob'), 'bob');
    const text = frame();
    expect(text).toMatch(/INSERT {2}Users {2}pk=alice/);
    expect(text).toContain('email  "alice@example.com"');
    expect(text).toContain('2 records');
    expect(text.indexOf('pk=alice')).toBeLessThan(text.indexOf('pk=bob'));
    expect(text.indexOf('pk=bob')).toBeLessThan(text.indexOf('2 records'));
    expect(text).toContain('live');
  });

  it('shows the stream, view type, shard counts and filters', async () => {
    const { source, frame } = start({ filters: '--event MODIFY' });
    source.emit({ type: 'describe', shards: 3, open: 1, closed: 2 });
    source.emit({ type: 'shard-start', shardId: SHARD, from: 'LATEST' });
    await waitFor(() => frame().includes('shards 1 open, 2 closed'), 'shard counts');
    expect(frame()).toContain('Users · NEW_AND_OLD_IMAGES · shards 1 open, 2 closed (reading 1)');
    expect(frame()).toContain('filters --event MODIFY');
    expect(frame()).toContain('catching up');
    source.emit({ type: 'caught-up' });
    await waitFor(() => !frame().includes('catching up'), 'caught up');
  });

  it('space pauses: records are still read and counted, and shown on resume', async () => {
    const { source, frame, app } = start();
    source.push(batch(insert('alice')));
    await waitFor(() => frame().includes('pk=alice'), 'alice');
    await press(app, ' ');
    expect(frame()).toContain('paused 0 buffered');
    source.push(batch(insert('bob')));
    source.push(batch(insert('carol')));
    await waitFor(() => frame().includes('paused 2 buffered'), 'buffered count');
    expect(source.taken()).toBe(3);
    expect(frame()).toContain('3 records');
    expect(frame()).not.toContain('pk=bob');
    await press(app, ' ');
    await waitFor(() => frame().includes('pk=carol'), 'carol after resume');
    const text = frame();
    expect(text.indexOf('pk=alice')).toBeLessThan(text.indexOf('pk=bob'));
    expect(text.indexOf('pk=bob')).toBeLessThan(text.indexOf('pk=carol'));
    for (const pk of ['alice', 'bob', 'carol']) expect(occurrences(text, `pk=${pk}`)).toBe(1);
    expect(text).toContain('live');
  });

  it('bounds the pause buffer, says so, and marks the gap on resume', async () => {
    const { source, frame, app } = start({ maxBuffered: 2 });
    await press(app, ' ');
    source.push(batch(insert('r1'), insert('r2'), insert('r3'), insert('r4')));
    await waitFor(() => frame().includes('2 dropped'), 'dropped count');
    expect(frame()).toContain('paused 2 buffered · 2 dropped (only the latest 2 are kept)');
    await press(app, ' ');
    await waitFor(() => frame().includes('pk=r4'), 'r4');
    const text = frame();
    expect(text).toContain('2 records not shown: while paused only the latest 2 are kept');
    expect(text).not.toContain('pk=r1');
    expect(text).not.toContain('pk=r2');
    expect(text).toContain('pk=r3');
    expect(text).toContain('4 records');
  });

  it('d switches between diffs and full images for the records that follow', async () => {
    const { source, frame, app } = start();
    const modify = (email: string): StreamRecord => record({
      eventName: 'MODIFY', sequenceNumber: String(++seq).padStart(21, '0'), keys: { pk: { S: 'alice' } },
      oldImage: { pk: { S: 'alice' }, email: { S: 'old@example.com' } },
      newImage: { pk: { S: 'alice' }, email: { S: email } },
    });
    source.push(batch(modify('one@example.com')));
    await waitFor(() => frame().includes('one@example.com'), 'first modify');
    expect(frame()).toContain('~ email  "old@example.com" → "one@example.com"');
    expect(frame()).toContain('showing diffs');
    await press(app, 'd');
    expect(frame()).toContain('showing full images');
    source.push(batch(modify('two@example.com')));
    await waitFor(() => frame().includes('two@example.com'), 'second modify');
    expect(frame()).toContain('old image:');
    expect(frame()).toContain('new image:');
    expect(frame()).toMatch(/new image:\n\s+pk\s+"alice"\n\s+email\s+"two@example.com"/);
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
    const { source, frame, app } = start();
    source.push(batch(insert('alice')));
    await waitFor(() => frame().includes('pk=alice'), 'alice');
    await press(app, 'c');
    expect(app.frames.some((f) => f.startsWith(CLEAR_SCREEN))).toBe(true);
  });

  it('shows backoff while the endpoint misbehaves and clears it on recovery', async () => {
    const { source, frame } = start();
    source.emit({ type: 'backoff', reason: 'ThrottlingException', delayMs: 1500, attempt: 2 });
    await waitFor(() => frame().includes('backing off'), 'backoff');
    expect(frame()).toContain('backing off 1.5 s (attempt 2): ThrottlingException');
    source.emit({ type: 'recovered' });
    await waitFor(() => !frame().includes('backing off'), 'recovery');
  });

  it('writes reader notices into the log', async () => {
    const { source, frame } = start();
    source.emit({ type: 'iterator-expired', shardId: SHARD });
    await waitFor(() => frame().includes('iterator expired'), 'notice');
    expect(frame()).toContain(`… shard ${SHARD}: iterator expired, resumed after the last record read`);
  });

  it('reports records per second over the last seconds', async () => {
    let now = 1_000_000;
    const { source, frame } = start({ now: () => now });
    now += 2_000;
    source.push(batch(insert('a'), insert('b'), insert('c'), insert('d')));
    await waitFor(() => frame().includes('4 records'), 'count');
    expect(frame()).toContain('4 records · 2.0/s');
  });

  it('tells the caller when the stream ends or fails', async () => {
    const ended = start();
    ended.source.end();
    await waitFor(() => ended.onEnd.mock.calls.length > 0, 'end');
    expect(ended.onEnd).toHaveBeenCalledWith(undefined);
    expect(ended.frame()).toContain('stream ended');
    const failed = start();
    const error = new Error('endpoint gone');
    failed.source.fail(error);
    await waitFor(() => failed.onEnd.mock.calls.length > 0, 'failure');
    expect(failed.onEnd).toHaveBeenCalledWith(error);
  });

  it('cuts record lines to the terminal width unless wide', async () => {
    const long = { pk: { S: 'alice' }, bio: { S: 'x'.repeat(300) } };
    const narrow = start();
    narrow.source.push(batch(record({ eventName: 'INSERT', keys: { pk: { S: 'alice' } }, newImage: long })));
    await waitFor(() => narrow.frame().includes('bio'), 'bio');
    const bio = narrow.frame().split('\n').find((l) => l.includes('bio'))!;
    expect(bio.length).toBe(100);
    expect(bio.endsWith('…')).toBe(true);
    const wide = start({ wide: true });
    wide.source.push(batch(record({ eventName: 'INSERT', keys: { pk: { S: 'alice' } }, newImage: long })));
    await waitFor(() => wide.frame().includes('bio'), 'bio');
    expect(wide.frame().replace(/\n/g, '')).toContain('x'.repeat(300));
  });
});
