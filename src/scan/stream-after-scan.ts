import type { StreamRecord } from '../records/record.js';
import type { ReadStart } from '../stream/position.js';

/** Clocks disagree: ours started the scan, the service stamps the records. */
export const CLOCK_SKEW_MS = 10_000;
const SECOND = 1_000;
const MINUTE = 60_000;

/**
 * Where the stream part of a backfill starts: every record from a margin before the scan began,
 * so a change made during the scan is in the scanned item or in the stream after it (or both:
 * delivery is at least once). DynamoDB Streams has no time iterator, so the shards are read from
 * TRIM_HORIZON and older records are dropped.
 *
 * The margin follows the stream's own time resolution, learnt from its records: AWS stamps whole
 * seconds, DynamoDB Local floors to the minute. Until a record shows seconds, the minute is
 * assumed (the safe side: more records delivered again, none lost). A record stamped up to one
 * unit before the change it carries, plus clock skew, is inside the margin.
 */
export function streamAfterScan(scanStartedAt: Date): ReadStart & { cutoff: () => Date } {
  const started = scanStartedAt.getTime();
  let unit = MINUTE;
  const cutoff = (): number => Math.floor(started / unit) * unit - unit - CLOCK_SKEW_MS;
  return {
    position: { type: 'TRIM_HORIZON' },
    skip: (record: StreamRecord) => {
      if (record.scan) return false;
      const time = record.time.getTime();
      if (unit === MINUTE && time % MINUTE !== 0) unit = SECOND;
      return time < cutoff();
    },
    cutoff: () => new Date(cutoff()),
  };
}
