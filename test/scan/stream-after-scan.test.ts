import { describe, expect, it } from 'vitest';
import type { StreamRecord } from '../../src/records/record.js';
import { CLOCK_SKEW_MS, streamAfterScan } from '../../src/scan/stream-after-scan.js';

const at = (iso: string, extra: Partial<StreamRecord> = {}): StreamRecord => ({
  streamArn: 'arn', table: 'T', shardId: 's', sequenceNumber: '1', eventId: 'e', eventName: 'MODIFY', eventVersion: '1.1',
  awsRegion: 'r', time: new Date(iso), keys: {}, sizeBytes: 1, ...extra,
});

describe('streamAfterScan', () => {
  const started = new Date('2026-11-26T12:00:30.500Z');

  it('reads every shard from TRIM_HORIZON', () => {
    expect(streamAfterScan(started).position).toEqual({ type: 'TRIM_HORIZON' });
  });

  it('keeps a minute and the clock skew before the minute the scan began while the stream shows only whole minutes', () => {
    const start = streamAfterScan(started);
    expect(start.cutoff().toISOString()).toBe(new Date(Date.parse('2026-11-26T11:59:00Z') - CLOCK_SKEW_MS).toISOString());
    // A change during the scan that DynamoDB Local stamps with the minute it began is kept.
    expect(start.skip!(at('2026-11-26T12:00:00Z'))).toBe(false);
    expect(start.skip!(at('2026-11-26T11:59:00Z'))).toBe(false);
    expect(start.skip!(at('2026-11-26T11:58:00Z'))).toBe(true);
  });

  it('narrows the margin to a second once a record shows the stream stamps seconds', () => {
    const start = streamAfterScan(started);
    expect(start.skip!(at('2026-11-26T11:40:17Z'))).toBe(true);
    expect(start.cutoff().toISOString()).toBe(new Date(Date.parse('2026-11-26T12:00:29Z') - CLOCK_SKEW_MS).toISOString());
    expect(start.skip!(at('2026-11-26T12:00:19Z'))).toBe(false);
    expect(start.skip!(at('2026-11-26T12:00:18Z'))).toBe(true);
  });

  it('never skips a scanned item', () => {
    expect(streamAfterScan(started).skip!(at('2020-01-01T00:00:00Z', { scan: true }))).toBe(false);
  });
});
