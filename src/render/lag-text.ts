import { formatDuration } from './table.js';
import { terminalSafe } from './terminal-text.js';

/**
 * How far behind a reader is, for status lines: `behind 2h 14m`, `caught up` at the tip, or
 * nothing before anything is known. Under a second counts as caught up: stream times are whole
 * seconds.
 */
export function lagText(behindMs: number | undefined): string | undefined {
  if (behindMs === undefined) return undefined;
  return behindMs < 1_000 ? 'caught up' : `behind ${formatDuration(behindMs)}`;
}

/**
 * The largest lag over several streams, for a line that speaks for all of them: `most behind:
 * Orders, 2h 14m`, `all caught up` once every stream is, or nothing while no stream that is
 * behind is known. The first stream given wins a tie.
 */
export function mostBehindText(streams: readonly { name: string; lagMs?: number }[]): string | undefined {
  let most: { name: string; lagMs: number } | undefined;
  for (const { name, lagMs } of streams) {
    if (lagMs !== undefined && (!most || lagMs > most.lagMs)) most = { name, lagMs };
  }
  if (most && most.lagMs >= 1_000) return `most behind: ${terminalSafe(most.name)}, ${formatDuration(most.lagMs)}`;
  return most && streams.every((s) => s.lagMs !== undefined) ? 'all caught up' : undefined;
}
