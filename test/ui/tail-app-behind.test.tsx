import { describe, expect, it, vi } from 'vitest';
import { BEHIND_AFTER_MS } from '../../src/ui/tail-feed.js';
import { STATUS_MS } from '../../src/ui/use-tail-feed.js';
import { advance, batch, frames, insert, occurrences, settle, startView, useViewClock, type StartedView } from './tail-app-harness.js';

useViewClock();

/**
 * A view on a terminal that takes `msPerWrite` for every write of records. The write blocks, as a
 * terminal write does: the clock moves on, and timers that were due wait until it returns.
 */
function slowTerminal(msPerWrite: number, maxBuffered?: number): StartedView {
  const view = startView(maxBuffered ? { maxBuffered } : {});
  view.source.emit({ type: 'caught-up' });
  const write = view.app.stdout.write;
  view.app.stdout.write = (frame: string) => {
    write(frame);
    if (frame.includes('INSERT')) vi.setSystemTime(Date.now() + msPerWrite);
  };
  return view;
}

const shown = (text: string): string[] => [...text.matchAll(/pk=(r\d+)/g)].map((m) => m[1]!);

describe('TailApp when the terminal cannot keep up', () => {
  it('keeps quiet about a short wait, and says how far behind it is past two seconds', async () => {
    const { source, frame, written } = slowTerminal(300);
    const pushedAt = Date.now();
    source.push(batch(...Array.from({ length: 3_000 }, (_, i) => insert(`r${i}`))));
    for (let i = 0; i < 30 && !frame().includes('behind'); i++) {
      // Up to now the oldest waiting record has waited less than the threshold, and nothing is said.
      expect(Date.now() - pushedAt).toBeLessThanOrEqual(BEHIND_AFTER_MS + 300 + STATUS_MS);
      await frames();
    }
    const status = /live · showing (\d+) s behind, ([\d,]+) queued/.exec(frame());
    expect(status).not.toBeNull();
    expect(Number(status![1])).toBeGreaterThanOrEqual(2);
    const queued = 3_000 - shown(written()).length;
    expect(queued).toBeGreaterThan(0);
    expect(status![2]).toBe(queued.toLocaleString('en-US'));

    // The queue drains; once it has, nothing is behind and nothing was lost.
    for (let i = 0; i < 30 && shown(written()).length < 3_000; i++) await frames();
    await settle();
    expect(shown(written())).toEqual(Array.from({ length: 3_000 }, (_, i) => `r${i}`));
    expect(frame()).not.toContain('behind');
    expect(frame()).not.toContain('dropped');
    expect(frame()).toContain('3,000 records');
  });

  it('drops the oldest past the bound, marks each gap where it was, and counts the drops', async () => {
    const { source, frame, written } = slowTerminal(50, 1_000);
    // Pages smaller than the bound, arriving faster than the terminal takes them.
    let pushed = 0;
    for (let page = 0; page < 30 && !frame().includes('dropped'); page++) {
      source.push(batch(...Array.from({ length: 600 }, () => insert(`r${pushed++}`))));
      await frames();
    }
    const gapsIn = (text: string): number[] =>
      [...text.matchAll(/… ([\d,]+) records? dropped: the terminal could not keep up/g)].map((m) => Number(m[1]!.replace(/,/g, '')));
    const accounted = (): number => shown(written()).length + gapsIn(written()).reduce((a, b) => a + b, 0);
    for (let i = 0; i < 50 && accounted() < pushed; i++) await frames();
    await settle();
    const text = written();
    const gaps = gapsIn(text);
    expect(gaps.length).toBeGreaterThan(0);
    const dropped = gaps.reduce((a, b) => a + b, 0);
    expect(shown(text).length + dropped).toBe(pushed);
    expect(frame()).toContain(`${dropped.toLocaleString('en-US')} dropped (terminal too slow)`);
    expect(frame()).toContain(`${pushed.toLocaleString('en-US')} records`);

    // In order, each once; and every gap line stands exactly where its records are missing.
    const blocks = text.split('\n\n').map((b) => b.trim()).filter((b) => b.startsWith('…') || b.includes('INSERT'));
    let expected = 0;
    for (const block of blocks) {
      const gap = /^… ([\d,]+) records? dropped/.exec(block);
      if (gap) expected += Number(gap[1]!.replace(/,/g, ''));
      else expect(block).toContain(`pk=r${expected++} `);
    }
    expect(expected).toBe(pushed);
    expect(occurrences(text, `pk=r${pushed - 1} `)).toBe(1);
  });

  it('holds records back while the terminal has not taken earlier output, and counts the wait and the drops', async () => {
    const { source, frame, written, app } = startView({ maxBuffered: 1_000 });
    source.emit({ type: 'caught-up' });
    // What a slow terminal looks like from the process once its writes no longer block.
    Object.assign(app.stdout, { writableLength: 10 * 1024 * 1024 });
    source.push(batch(...Array.from({ length: 800 }, (_, i) => insert(`r${i}`))));
    await advance(BEHIND_AFTER_MS + STATUS_MS);
    expect(written()).not.toContain('pk=');
    expect(frame()).toMatch(/live · showing [23] s behind, 800 queued/);
    source.push(batch(...Array.from({ length: 500 }, (_, i) => insert(`r${800 + i}`))));
    await settle();
    expect(frame()).toContain('1,000 queued · 300 dropped (terminal too slow)');

    Object.assign(app.stdout, { writableLength: 0 });
    await advance(1_000);
    const text = written();
    expect(text.indexOf('… 300 records dropped: the terminal could not keep up')).toBe(0);
    expect(shown(text)).toEqual(Array.from({ length: 1_000 }, (_, i) => `r${300 + i}`));
    expect(frame()).not.toContain('behind');
    expect(frame()).toContain('300 dropped (terminal too slow)');
  });

  it('is never behind while paused: the pause buffer is meant to wait', async () => {
    const { source, frame, app } = slowTerminal(30);
    app.stdin.write(' ');
    source.push(batch(...Array.from({ length: 10 }, (_, i) => insert(`r${i}`))));
    await advance(10_000);
    expect(frame()).toContain('paused 10 buffered');
    expect(frame()).not.toContain('behind');
  });
});
