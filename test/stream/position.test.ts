import { describe, expect, it } from 'vitest';
import type { StreamRecord } from '../../src/records/record.js';
import {
  describeFrom,
  describeUntil,
  isEmptyWindow,
  pastUntil,
  readStart,
  type FromSpec,
  type UntilSpec,
} from '../../src/stream/position.js';

/** A time position as the option parser hands it over. */
function time(iso: string): FromSpec & UntilSpec {
  return { kind: 'time', time: new Date(iso), input: iso };
}

function sequence(sequenceNumber: string): FromSpec & UntilSpec {
  return { kind: 'sequence', sequenceNumber };
}

function at(time: string, sequenceNumber = '100000000000000000001'): StreamRecord {
  return {
    streamArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/T/stream/2024-05-01T00:00:00.000',
    table: 'T',
    shardId: 'shardId-1',
    sequenceNumber,
    eventId: 'e',
    eventName: 'INSERT',
    eventVersion: '1.1',
    awsRegion: 'us-east-1',
    time: new Date(time),
    keys: { id: { S: '1' } },
    sizeBytes: 10,
  };
}

describe('readStart', () => {
  it('maps stream positions to iterator types', () => {
    expect(readStart({ kind: 'trim-horizon' })).toEqual({ position: { type: 'TRIM_HORIZON' } });
    expect(readStart({ kind: 'latest' })).toEqual({ position: { type: 'LATEST' } });
    expect(readStart({ kind: 'sequence', sequenceNumber: '42' })).toEqual({
      position: { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: '42' },
    });
  });

  it('emulates a time start: TRIM_HORIZON and skip older records', () => {
    const start = readStart(time('2024-05-01T10:00:00Z'));
    expect(start.position).toEqual({ type: 'TRIM_HORIZON' });
    expect(start.skip?.(at('2024-05-01T09:59:59Z'))).toBe(true);
    expect(start.skip?.(at('2024-05-01T10:00:00Z'))).toBe(false);
    expect(start.skip?.(at('2024-05-01T10:00:01Z'))).toBe(false);
  });

  it('keeps a record stamped in the same second as a start with milliseconds', () => {
    // Records carry whole seconds; a write at 10:00:00.700 shows as 10:00:00.
    const start = readStart(time('2024-05-01T10:00:00.500Z'));
    expect(start.skip?.(at('2024-05-01T10:00:00Z'))).toBe(false);
    expect(start.skip?.(at('2024-05-01T09:59:59Z'))).toBe(true);
  });
});

describe('pastUntil', () => {
  it('stops after a time, keeping records at the time itself', () => {
    const past = pastUntil(time('2024-05-01T11:00:00Z'));
    expect(past(at('2024-05-01T11:00:00Z'))).toBe(false);
    expect(past(at('2024-05-01T11:00:01Z'))).toBe(true);
  });

  it('stops after a sequence number, comparing as integers not text', () => {
    const past = pastUntil(sequence('900000000000000000000'));
    expect(past(at('2024-05-01T11:00:00Z', '900000000000000000000'))).toBe(false);
    expect(past(at('2024-05-01T11:00:00Z', '1000000000000000000000'))).toBe(true);
    expect(past(at('2024-05-01T11:00:00Z', '99999999999999999999'))).toBe(false);
  });
});

describe('isEmptyWindow', () => {
  it('spots an until before the from', () => {
    expect(isEmptyWindow(time('2024-05-01T11:00:00Z'), time('2024-05-01T10:00:00Z'))).toBe(true);
    expect(isEmptyWindow(time('2024-05-01T10:00:00Z'), time('2024-05-01T11:00:00Z'))).toBe(false);
    expect(isEmptyWindow(sequence('20'), sequence('100'))).toBe(false);
    expect(isEmptyWindow(sequence('200'), sequence('100'))).toBe(true);
    expect(isEmptyWindow({ kind: 'latest' }, time('2024-05-01T11:00:00Z'))).toBe(false);
    expect(isEmptyWindow({ kind: 'latest' }, undefined)).toBe(false);
  });
});

describe('describe', () => {
  it('says what a position means', () => {
    expect(describeFrom(time('2024-05-01T10:00:00Z'))).toBe('2024-05-01T10:00:00.000Z (skipping older records)');
    expect(describeFrom({ kind: 'latest' })).toBe('latest');
    expect(describeFrom({ kind: 'trim-horizon' })).toBe('trim horizon');
    expect(describeFrom(sequence('12'))).toBe('sequence number 12');
    expect(describeUntil(sequence('12'))).toBe('sequence number 12');
    expect(describeUntil(time('2024-05-01T11:00:00Z'))).toBe('2024-05-01T11:00:00.000Z');
  });
});
