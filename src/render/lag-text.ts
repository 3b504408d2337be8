import { formatDuration } from './table.js';

/**
 * How far behind a reader is, for status lines: `behind 2h 14m`, `caught up` at the tip, or
 * nothing before anything is known. Under a second counts as caught up: stream times are whole
 * seconds.
 */
export function lagText(behindMs: number | undefined): string | undefined {
  if (behindMs === undefined) return undefined;
  return behindMs < 1_000 ? 'caught up' : `behind ${formatDuration(behindMs)}`;
}
