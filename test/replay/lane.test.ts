import { describe, expect, it } from 'vitest';
import { entryOf, Lane, MAX_PAYLOAD_BYTES, payloadBytes, recordOf } from '../../src/replay/lane.js';
import { eventPayload } from '../../src/replay/event-envelope.js';
import { makeRecord, range } from './make-records.js';

const entries = (from: number, to: number, extra?: string) =>
  range(from, to).map((i) => entryOf(makeRecord(i, `item-${i}`, extra ? { extra } : {})));

describe('Lane', () => {
  it('gives batches of at most batchSize records, oldest first, and keeps the rest queued', () => {
    const lane = new Lane();
    for (const entry of entries(1, 5)) lane.push(entry, 1_000);
    expect(lane.full(5)).toBe(true);
    expect(lane.full(6)).toBe(false);
    const unit = lane.take(2, 2_000);
    expect(unit.entries.map((entry) => recordOf(entry).dynamodb.SequenceNumber)).toEqual(
      [1, 2].map((i) => makeRecord(i).dynamodb.SequenceNumber),
    );
    expect(unit).toMatchObject({ retries: 0, invokeCount: 0 });
    expect(lane.queued).toBe(3);
    // The window of what is left starts when the batch left.
    expect(lane.windowStart).toBe(2_000);
  });

  it('the window starts with the first record of an empty queue, and ends when the queue is emptied', () => {
    const lane = new Lane();
    expect(lane.waiting).toBe(false);
    const [a, b] = entries(1, 2);
    lane.push(a!, 10);
    lane.push(b!, 20);
    expect(lane.windowStart).toBe(10);
    lane.take(100, 30);
    expect(lane.windowStart).toBeUndefined();
    expect(lane.waiting).toBe(false);
  });

  it('cuts a batch before its payload passes 6 MB, and counts a queue near the limit as full', () => {
    const lane = new Lane();
    const big = entries(1, 8, 'x'.repeat(1024 * 1024));
    for (const entry of big) lane.push(entry, 0);
    expect(lane.full(100)).toBe(true);
    const first = lane.take(100, 0);
    expect(first.entries).toHaveLength(5);
    expect(Buffer.byteLength(eventPayload(first.entries))).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    expect(lane.take(100, 0).entries).toHaveLength(3);
  });

  it('counts UTF-8 bytes, not characters, near the limit', () => {
    // Each record is about 1 MB of UTF-8 in 500,000 characters: six fit in 6 MB, a seventh does not.
    const lane = new Lane();
    const wide = entries(1, 7, 'é'.repeat(500_000));
    for (const entry of wide.slice(0, 6)) lane.push(entry, 0);
    expect(lane.full(100)).toBe(false);
    lane.push(wide[6]!, 0);
    expect(lane.full(100)).toBe(true);
    const first = lane.take(100, 0);
    expect(first.entries).toHaveLength(6);
    expect(Buffer.byteLength(eventPayload(first.entries))).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    expect(Buffer.byteLength(eventPayload([...first.entries, wide[6]!]))).toBeGreaterThan(MAX_PAYLOAD_BYTES);
    expect(lane.take(100, 0).entries).toHaveLength(1);
  });

  it('bisected halves count as waiting work', () => {
    const lane = new Lane();
    lane.units.push({ entries: entries(1, 1), retries: 1, invokeCount: 1 });
    expect(lane.waiting).toBe(true);
    expect(lane.queued).toBe(0);
  });
});

describe('batch entries', () => {
  it('serialize a record once and rebuild the same record and event from it', () => {
    const record = makeRecord(7, 'item-7', { time: 1_700_000_000 });
    const entry = entryOf(record);
    expect(entry).toMatchObject({ sequence: record.dynamodb.SequenceNumber, done: false, timeMs: 1_700_000_000_000, streamArn: record.eventSourceARN });
    expect(payloadBytes(entry)).toBe(Buffer.byteLength(JSON.stringify(record)) + 1);
    expect(recordOf(entry)).toEqual(record);
    const next = makeRecord(8);
    expect(JSON.parse(eventPayload([entry, entryOf(next)]))).toEqual({ Records: [record, next] });
  });
});
