import type { StreamRecord } from '../records/record.js';
import type { ReaderEvent } from '../stream/types.js';

/** One finished line block for the scrolling log: a record, or a notice about the stream. */
export type FeedItem =
  | { id: number; kind: 'record'; record: StreamRecord }
  | { id: number; kind: 'notice'; text: string };

export interface FeedState {
  /** Items not yet written to the log; they go to ink's <Static> and are dropped once printed. */
  pending: FeedItem[];
  /** Changes each time printed items are dropped, so <Static> starts over with the new list. */
  generation: number;
  /** Records held while paused, oldest first, at most `maxBuffered`. */
  buffer: FeedItem[];
  maxBuffered: number;
  /** Records that did not fit in the pause buffer (the oldest go first). */
  dropped: number;
  paused: boolean;
  seen: number;
  perSecond: number;
  samples: { at: number; count: number }[];
  startedAt: number;
  shards?: { total: number; open: number; closed: number };
  shardsReading: number;
  caughtUp: boolean;
  backoff?: { reason: string; delayMs: number; attempt: number; at: number };
  done: boolean;
  error?: unknown;
  nextId: number;
}

/**
 * A page of records as the view needs it: the reader's ShardBatch, or a page after the shared
 * reading rules (filters, -n) have been applied.
 */
export interface FeedBatch {
  records: StreamRecord[];
}

export type FeedAction =
  | { type: 'batch'; batch: FeedBatch; now: number }
  | { type: 'reader'; event: ReaderEvent; now: number }
  | { type: 'tick'; now: number }
  | { type: 'toggle-pause' }
  | { type: 'printed'; count: number }
  | { type: 'end'; error?: unknown };

/** records/s is averaged over this window, so a burst does not flash a huge number for one frame. */
export const RATE_WINDOW_MS = 5_000;
export const DEFAULT_MAX_BUFFERED = 5_000;

export function initialFeedState(now: number, maxBuffered = DEFAULT_MAX_BUFFERED): FeedState {
  return {
    pending: [], generation: 0, buffer: [], maxBuffered, dropped: 0, paused: false,
    seen: 0, perSecond: 0, samples: [], startedAt: now, shardsReading: 0, caughtUp: false, done: false, nextId: 1,
  };
}

function withRate(state: FeedState, now: number): FeedState {
  const samples = state.samples.filter((s) => s.at > now - RATE_WINDOW_MS);
  const span = Math.min(RATE_WINDOW_MS, Math.max(now - state.startedAt, 1_000));
  const perSecond = (samples.reduce((sum, s) => sum + s.count, 0) * 1000) / span;
  return { ...state, samples, perSecond };
}

function append(state: FeedState, items: FeedItem[]): FeedState {
  if (items.length === 0) return state;
  if (!state.paused) return { ...state, pending: [...state.pending, ...items] };
  let buffer = [...state.buffer, ...items];
  const over = Math.max(0, buffer.filter((item) => item.kind === 'record').length - state.maxBuffered);
  if (over) {
    // Drop the oldest records; notices are few and say why something looks odd, so they stay.
    let toDrop = over;
    buffer = buffer.filter((item) => item.kind !== 'record' || toDrop-- <= 0);
  }
  return { ...state, buffer, dropped: state.dropped + over };
}

function notice(state: FeedState, text: string): FeedState {
  // Notices are not records: they bypass the pause buffer's bound but still wait for resume.
  const item: FeedItem = { id: state.nextId, kind: 'notice', text };
  const next = { ...state, nextId: state.nextId + 1 };
  return state.paused ? { ...next, buffer: [...next.buffer, item] } : { ...next, pending: [...next.pending, item] };
}

function onReaderEvent(state: FeedState, event: ReaderEvent, now: number): FeedState {
  switch (event.type) {
    case 'describe':
      return { ...state, shards: { total: event.shards, open: event.open, closed: event.closed } };
    case 'shard-start':
      return { ...state, shardsReading: state.shardsReading + 1 };
    case 'shard-end':
      return { ...state, shardsReading: Math.max(0, state.shardsReading - 1) };
    case 'caught-up':
      return { ...state, caughtUp: true };
    case 'backoff':
      return { ...state, backoff: { reason: event.reason, delayMs: event.delayMs, attempt: event.attempt, at: now } };
    case 'recovered':
      return { ...state, backoff: undefined };
    case 'iterator-expired':
      return notice(state, `shard ${event.shardId}: iterator expired, resumed after the last record read`);
    case 'trimmed':
      return notice(state, `shard ${event.shardId}: ${event.message}`);
    case 'checkpoint-shard-missing':
      return notice(state, `shard ${event.shardId} from the checkpoint is no longer in the stream`);
  }
}

export function feedReducer(state: FeedState, action: FeedAction): FeedState {
  switch (action.type) {
    case 'batch': {
      const { records } = action.batch;
      const items: FeedItem[] = records.map((record, i) => ({ id: state.nextId + i, kind: 'record', record }));
      const counted = {
        ...state,
        nextId: state.nextId + records.length,
        seen: state.seen + records.length,
        samples: records.length ? [...state.samples, { at: action.now, count: records.length }] : state.samples,
      };
      return withRate(append(counted, items), action.now);
    }
    case 'reader':
      return onReaderEvent(state, action.event, action.now);
    case 'tick':
      return withRate(state, action.now);
    case 'toggle-pause': {
      if (!state.paused) return { ...state, paused: true };
      const gap: FeedItem[] = state.dropped
        ? [{ id: state.nextId, kind: 'notice', text: `${state.dropped} record${state.dropped === 1 ? '' : 's'} not shown: while paused only the latest ${state.maxBuffered} are kept` }]
        : [];
      return {
        ...state, paused: false, dropped: 0, buffer: [], nextId: state.nextId + gap.length,
        pending: [...state.pending, ...gap, ...state.buffer],
      };
    }
    case 'printed':
      // Printed items are always a prefix: everything else only ever appends to `pending`.
      if (action.count <= 0) return state;
      return { ...state, pending: state.pending.slice(action.count), generation: state.generation + 1 };
    case 'end':
      return { ...state, done: true, ...(action.error !== undefined ? { error: action.error } : {}) };
  }
}
