import { UsageError } from '../util/errors.js';

/** A table this big per segment by default: a small table is one Scan, a big one many at once. */
const BYTES_PER_SEGMENT = 256 * 1024 * 1024;
export const MAX_DEFAULT_SEGMENTS = 64;
export const MAX_SEGMENTS = 1_000;

/** `--scan-segments`, or a default sized to the table (DynamoDB's size estimate). */
export function scanSegments(raw: string | undefined, tableSizeBytes: number): number {
  if (raw === undefined) return Math.min(MAX_DEFAULT_SEGMENTS, Math.max(1, Math.ceil(tableSizeBytes / BYTES_PER_SEGMENT)));
  const text = raw.trim();
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_SEGMENTS) {
    throw new UsageError(`--scan-segments must be a whole number from 1 to ${MAX_SEGMENTS} (got "${raw}")`);
  }
  return n;
}
