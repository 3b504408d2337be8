import { describe, expect, it } from 'vitest';
import { isoSeconds, judgeWindowResponse, MAX_STATE_BYTES, ShardWindow, windowOf } from '../../src/replay/tumbling-window.js';

describe('tumbling windows', () => {
  it('a window is aligned to whole multiples of its size; ISO times to the second', () => {
    expect(windowOf(1_700_000_059_999, 60_000)).toEqual({ startMs: 1_700_000_040_000, endMs: 1_700_000_100_000 });
    expect(windowOf(1_700_000_100_000, 60_000)).toEqual({ startMs: 1_700_000_100_000, endMs: 1_700_000_160_000 });
    expect(isoSeconds(1_700_000_040_000)).toBe('2023-11-14T22:14:00Z');
  });

  it('a response must carry state', () => {
    expect(judgeWindowResponse({ state: { a: 1 }, batchItemFailures: [] })).toEqual({ ok: true, state: { a: 1 }, bytes: 7 });
    for (const response of [null, undefined, {}, { batchItemFailures: [] }, [1], 'state', { state: undefined }]) {
      expect(judgeWindowResponse(response).ok).toBe(false);
    }
  });

  it('batches stop at the window\'s end; a late record joins the open window', () => {
    const window = new ShardWindow(60_000);
    const t = (s: number) => ({ timeMs: 1_700_000_040_000 + s * 1000, streamArn: 'arn' });
    expect(window.batchLimit([t(0), t(59), t(60), t(61)], 100)).toBe(2);
    expect(window.batchLimit([t(0), t(59), t(60)], 1)).toBe(1);
    expect(window.runClosed([t(0), t(59)])).toBe(false);
    expect(window.runClosed([t(0), t(60)])).toBe(true);
    window.open(t(60));
    // An earlier record (clocks of items differ slightly) belongs to the open window, not to a past one.
    expect(window.runLength([t(30), t(61), t(125)])).toBe(2);
    expect(window.finalDue([t(125)], { ended: false })).toBe(true);
    expect(window.finalDue([], { ended: false, caughtUpAt: 1_700_000_040_000 + 119_999 })).toBe(false);
    expect(window.finalDue([], { ended: false, caughtUpAt: 1_700_000_040_000 + 120_000 })).toBe(true);
    expect(window.finalDue([], { ended: true })).toBe(true);
  });

  it('a state over 1 MB ends the window early; its final invocation keeps the window, with fresh state after', () => {
    const window = new ShardWindow(60_000);
    window.open({ timeMs: 0, streamArn: 'arn' });
    window.accept({ big: true }, MAX_STATE_BYTES + 1);
    expect(window.finalDue([{ timeMs: 1 }], { ended: false })).toBe(true);
    expect(window.fields('s', 'arn', true)).toMatchObject({ isFinalInvokeForWindow: true, isWindowTerminatedEarly: true, state: { big: true } });
    window.close();
    expect(window.current).toEqual({ startMs: 0, endMs: 60_000 });
    expect(window.fields('s', 'arn', false)).toMatchObject({ state: {}, isWindowTerminatedEarly: false });
    window.accept({ small: true }, MAX_STATE_BYTES);
    expect(window.finalDue([{ timeMs: 1 }], { ended: false })).toBe(false);
  });
});
