import { useCallback, useEffect, useRef, useState } from 'react';
import type { RenderOptions } from '../render/record-text.js';
import { drainLog } from './log-writer.js';
import { TailFeed, type FeedSource, type FeedStatus } from './tail-feed.js';

export interface TailFeedOptions {
  /** Records kept while paused or behind; older ones are dropped (and counted) beyond it. */
  maxQueued?: number;
  /** Clock for records/s, waiting times and the write budget; tests pass their own. */
  now?: () => number;
  /** How often the status is refreshed when nothing arrives (records/s decays, "behind" ages). */
  tickMs?: number;
  /** How records are laid out, read each time the log is written. */
  render: () => RenderOptions;
  /** Writes finished text above the live area, keeping nothing of it. */
  write: (text: string) => void;
  /** False while the terminal has not taken enough of what was written: the log waits. */
  terminalReady?: () => boolean;
}

export interface TailFeedView {
  status: FeedStatus;
  togglePause: () => void;
}

/** The log is written at most this often: records that arrive within one frame go out in one write. */
export const FRAME_MS = 50;
/**
 * Time a frame may spend formatting and writing records before it stops and rests for a frame.
 * The writer then takes at most about half the process, records beyond it wait in the queue,
 * and that is how "behind" is noticed instead of the reader silently falling behind the stream.
 */
export const WRITE_BUDGET_MS = 40;
/**
 * Changing counts redraw the status area at most this often: ink lays out every cell of it on
 * each redraw (1–2 ms), more than a frame's records cost. A key press or the end shows at once.
 */
export const STATUS_MS = 500;

/**
 * The one place the view touches the stream: drains the batches into the feed (also while
 * paused, so the reader keeps its pace and its counts), listens to reader events, writes the
 * log a frame at a time and hands the status to React only when it changed.
 */
export function useTailFeed(source: FeedSource, options: TailFeedOptions): TailFeedView {
  const optionsRef = useRef(options);
  optionsRef.current = options;
  const [feed] = useState(() => new TailFeed(
    () => (optionsRef.current.now ?? Date.now)(), options.maxQueued, () => source.lag?.(), () => source.streams?.(),
  ));
  const [status, setStatus] = useState(() => feed.status());
  const requestFrameRef = useRef<() => void>(() => undefined);
  const tickMs = options.tickMs ?? 1_000;

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastFrameAt = -Infinity;
    const clock = (): number => (optionsRef.current.now ?? Date.now)();
    let statusTimer: ReturnType<typeof setTimeout> | undefined;
    let lastPublishAt = -Infinity;
    // React keeps the old state when handed the same object, so an unchanged status costs no render.
    const publishNow = (): void => {
      clearTimeout(statusTimer);
      statusTimer = undefined;
      lastPublishAt = clock();
      setStatus(feed.status());
    };
    // Counts change with every frame: throttled to one redraw per STATUS_MS, the last one always shown.
    const publish = (): void => {
      const wait = lastPublishAt + STATUS_MS - clock();
      if (wait <= 0) publishNow();
      else statusTimer ??= setTimeout(publishNow, wait);
    };
    const drain = (budgetMs: number, waitForTerminal: boolean): void => {
      drainLog(feed.queue, {
        render: () => optionsRef.current.render(),
        write: (text) => optionsRef.current.write(text),
        clock,
        budgetMs,
        ...(waitForTerminal ? { ready: () => optionsRef.current.terminalReady?.() ?? true } : {}),
      });
    };
    const frame = (): void => {
      timer = undefined;
      if (stopped) return;
      lastFrameAt = clock();
      if (!feed.isPaused) drain(WRITE_BUDGET_MS, true);
      publish();
      // Out of budget, or the terminal still busy with earlier writes: a full rest before the next
      // frame, so the reader and the keys get their share of the process however slow the
      // terminal is, and the backlog shows in the queue.
      if (!feed.isPaused && feed.queue.length > 0) timer = setTimeout(frame, FRAME_MS);
    };
    const requestFrame = (): void => {
      if (timer !== undefined || stopped) return;
      timer = setTimeout(frame, Math.max(0, lastFrameAt + FRAME_MS - clock()));
    };
    requestFrameRef.current = requestFrame;

    const unsubscribe = source.subscribe?.((event) => {
      if (stopped) return;
      feed.onReaderEvent(event);
      requestFrame();
    });
    const finish = (error?: unknown): void => {
      clearTimeout(timer);
      timer = undefined;
      // The view closes when the stream ends: what it still holds is shown rather than lost.
      drain(Infinity, false);
      feed.end(error);
      publishNow();
    };
    const iterator = source.batches[Symbol.asyncIterator]();
    void (async () => {
      try {
        for (;;) {
          const next = await iterator.next();
          if (stopped) return;
          if (next.done) break;
          feed.addBatch(next.value.records);
          requestFrame();
        }
        finish();
      } catch (error) {
        if (!stopped) finish(error);
      }
    })();
    const ticker = setInterval(publish, tickMs);
    return () => {
      stopped = true;
      clearTimeout(timer);
      clearTimeout(statusTimer);
      clearInterval(ticker);
      unsubscribe?.();
      // Ends the generator once its current page settles; the caller's AbortSignal stops it sooner.
      iterator.return?.().catch(() => undefined);
    };
  }, [source, feed, tickMs]);

  const togglePause = useCallback(() => {
    feed.togglePause();
    setStatus(feed.status());
    requestFrameRef.current();
  }, [feed]);
  return { status, togglePause };
}
