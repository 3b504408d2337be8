import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { ReaderEvent } from '../stream/types.js';
import { feedReducer, initialFeedState, type FeedBatch, type FeedState } from './feed-state.js';

/** What the view reads: the reader's pages, and its progress notices when it offers them. */
export interface FeedSource {
  batches: AsyncIterable<FeedBatch>;
  /** Registers a listener for reader events; returns the function that removes it. */
  subscribe?: (listener: (event: ReaderEvent) => void) => () => void;
}

export interface FeedOptions {
  /** Records kept while paused; older ones are dropped (and counted) beyond it. */
  maxBuffered?: number;
  /** Clock for the records/s figure; tests pass their own. */
  now?: () => number;
  /** How often the records/s figure is refreshed when nothing arrives. */
  tickMs?: number;
}

export interface Feed {
  state: FeedState;
  togglePause: () => void;
  /** The first `count` pending items have been written to the log and can be let go. */
  markPrinted: (count: number) => void;
}

/**
 * The one place the view touches the stream: it drains the batches (also while paused, so the
 * reader keeps its pace and its counts), listens to reader events and ticks the rate.
 */
export function useStreamFeed(source: FeedSource, options: FeedOptions = {}): Feed {
  const nowRef = useRef(options.now ?? Date.now);
  nowRef.current = options.now ?? Date.now;
  const [state, dispatch] = useReducer(feedReducer, undefined, () => initialFeedState(nowRef.current(), options.maxBuffered));
  const tickMs = options.tickMs ?? 1_000;

  useEffect(() => {
    let stopped = false;
    const now = (): number => nowRef.current();
    const unsubscribe = source.subscribe?.((event) => {
      if (!stopped) dispatch({ type: 'reader', event, now: now() });
    });
    const iterator = source.batches[Symbol.asyncIterator]();
    void (async () => {
      try {
        for (;;) {
          const next = await iterator.next();
          if (stopped) return;
          if (next.done) break;
          dispatch({ type: 'batch', batch: next.value, now: now() });
        }
        dispatch({ type: 'end' });
      } catch (error) {
        if (!stopped) dispatch({ type: 'end', error });
      }
    })();
    const timer = setInterval(() => dispatch({ type: 'tick', now: now() }), tickMs);
    return () => {
      stopped = true;
      clearInterval(timer);
      unsubscribe?.();
      // Ends the generator once its current page settles; the caller's AbortSignal stops it sooner.
      iterator.return?.().catch(() => undefined);
    };
  }, [source, tickMs]);

  const togglePause = useCallback(() => dispatch({ type: 'toggle-pause' }), []);
  const markPrinted = useCallback((count: number) => dispatch({ type: 'printed', count }), []);
  return { state, togglePause, markPrinted };
}
