import { describe, expect, it } from 'vitest';
import { formatCount, ProgressLine } from '../../src/io/progress-line.js';

const ERASE = '\r\x1b[2K';

/** A stand-in for stderr that keeps what was written. */
function terminal(columns?: number) {
  const writes: string[] = [];
  const out = { columns, write: (text: string) => writes.push(text) > 0 } as unknown as NodeJS.WriteStream;
  return { out, writes };
}

/** A clock the test moves by hand. */
function clock(start = 1_000) {
  let now = start;
  return { now: () => now, pass: (ms: number) => (now += ms) };
}

describe('ProgressLine', () => {
  it('draws the status line in place, at most once per interval unless forced', () => {
    const { out, writes } = terminal(80);
    const time = clock();
    const line = new ProgressLine(out, true, 200, time.now);
    line.update('one');
    line.update('two');
    time.pass(199);
    line.update('three');
    time.pass(1);
    line.update(() => 'four');
    line.update('five', true);
    expect(writes).toEqual([`${ERASE}one`, `${ERASE}four`, `${ERASE}five`]);
  });

  it('does not build a skipped update\'s text', () => {
    const { out } = terminal(80);
    const line = new ProgressLine(out, true, 200, () => 0);
    line.update('first');
    let built = 0;
    line.update(() => `text ${++built}`);
    expect(built).toBe(0);
  });

  it('prints a whole line above the status line: erases it first, once', () => {
    const { out, writes } = terminal(80);
    const line = new ProgressLine(out, true);
    line.line('before anything');
    line.update('status');
    line.line('warning: something');
    line.line('and more');
    expect(writes).toEqual(['before anything\n', `${ERASE}status`, ERASE, 'warning: something\n', 'and more\n']);
  });

  it('when not live (no terminal), writes the whole lines only', () => {
    const { out, writes } = terminal();
    const line = new ProgressLine(out, false);
    line.update('status', true);
    line.line('a line');
    line.clear();
    expect(writes).toEqual(['a line\n']);
  });

  it('clear removes a shown status line once, and nothing when none is shown', () => {
    const { out, writes } = terminal(80);
    const line = new ProgressLine(out, true);
    line.clear();
    line.update('status');
    line.clear();
    line.clear();
    expect(writes).toEqual([`${ERASE}status`, ERASE]);
  });

  it('keeps the status line shorter than the terminal is wide, marking a cut with …', () => {
    const { out, writes } = terminal(10);
    const line = new ProgressLine(out, true, 0);
    line.update('123456789');
    line.update('1234567890');
    expect(writes).toEqual([`${ERASE}123456789`, `${ERASE}12345678…`]);
  });

  it('leaves the text whole when the width is unknown', () => {
    const { out, writes } = terminal(undefined);
    const line = new ProgressLine(out, true);
    line.update('x'.repeat(300));
    expect(writes).toEqual([ERASE + 'x'.repeat(300)]);
  });
});

describe('formatCount', () => {
  it('groups thousands with commas', () => {
    expect([0, 999, 1_000, 12_345_678].map(formatCount)).toEqual(['0', '999', '1,000', '12,345,678']);
  });
});
