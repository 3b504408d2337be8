import type { RecordCounts } from '../records/record-counts.js';
import { formatDuration } from './table.js';

/**
 * The `--stats` object, one line of JSON: records delivered in all, per shard and per event
 * name, and the largest lag seen (ms, and as people read it). Several streams add `streams`:
 * the same counts for each, by stream ARN.
 */
export function statsJson(counts: RecordCounts, largestLagMs: number): string {
  return JSON.stringify({
    ...countsJson(counts),
    ...(counts.perStream ? { streams: Object.fromEntries([...counts.perStream].map(([arn, own]) => [arn, countsJson(own)])) } : {}),
    largestLagMs: Math.round(largestLagMs),
    largestLag: formatDuration(largestLagMs),
  });
}

function countsJson(counts: RecordCounts): { records: number; shards: Record<string, number>; events: Record<string, number> } {
  return {
    records: counts.total,
    shards: Object.fromEntries([...counts.perShard].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    events: Object.fromEntries(counts.perEvent),
  };
}
