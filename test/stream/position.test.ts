import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import type { StreamRecord } from '../../src/records/record.js';
import {
  describeFrom,
  describeUntil,
  isEmptyWindow,
  parseDuration,
  parseFrom,
  parseIsoTime,
  parseUntil,
  pastUntil,
  readStart,
} from '../../src/stream/position.js';

const NOW = new Date('2024-05-01T12:00:00.000Z');

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

describe('parseFrom', () => {
  it.each([
    ['trim-horizon', { kind: 'trim-horizon' }],
    ['TRIM_HORIZON', { kind: 'trim-horizon' }],
    ['latest', { kind: 'latest' }],
    [' Latest ', { kind: 'latest' }],
    ['49039302705046437386810426374958651239', { kind: 'sequence', sequenceNumber: '49039302705046437386810426374958651239' }],
    ['7', { kind: 'sequence', sequenceNumber: '7' }],
  ])('%j', (input, expected) => {
    expect(parseFrom(input, NOW)).toEqual(expected);
  });

  it.each([
    ['90s', '2024-05-01T11:58:30.000Z'],
    ['15m', '2024-05-01T11:45:00.000Z'],
    ['2h', '2024-05-01T10:00:00.000Z'],
    ['1d', '2024-04-30T12:00:00.000Z'],
    ['1h30m', '2024-05-01T10:30:00.000Z'],
    ['1d2h3m4s', '2024-04-30T09:56:56.000Z'],
  ])('duration %s counts back from now', (input, expected) => {
    const from = parseFrom(input, NOW);
    expect(from).toEqual({ kind: 'time', time: new Date(expected), input });
  });

  it.each([
    ['2024-05-01T10:00:00Z', '2024-05-01T10:00:00.000Z'],
    ['2024-05-01T10:00:00.123Z', '2024-05-01T10:00:00.123Z'],
    ['2024-05-01T10:00:00.123456789Z', '2024-05-01T10:00:00.123Z'],
    ['2024-05-01T12:00:00+02:00', '2024-05-01T10:00:00.000Z'],
    ['2024-05-01T05:30:00-0430', '2024-05-01T10:00:00.000Z'],
    ['2024-05-01T10:00', '2024-05-01T10:00:00.000Z'],
    ['2024-05-01 10:00:00', '2024-05-01T10:00:00.000Z'],
    ['2024-05-01', '2024-05-01T00:00:00.000Z'],
  ])('ISO time %s (no offset means UTC)', (input, expected) => {
    const from = parseFrom(input, NOW);
    expect(from.kind).toBe('time');
    expect(from.kind === 'time' && from.time.toISOString()).toBe(expected);
  });

  it.each([
    ['yesterday', 'is not understood: use trim-horizon, latest, a sequence number'],
    ['15 minutes', 'is not understood'],
    ['2024-02-30T10:00:00Z', 'is not understood'],
    ['2024-13-01', 'is not understood'],
    ['2024-05-01T24:00:00Z', 'is not understood'],
    ['1m30h', 'is not understood'],
    ['0s', 'zero duration'],
    ['1'.repeat(41), 'has 41 digits; a sequence number has at most 40'],
    ['', 'is not understood'],
  ])('rejects %j naming the accepted forms', (input, message) => {
    expect(() => parseFrom(input, NOW)).toThrow(UsageError);
    expect(() => parseFrom(input, NOW)).toThrow(message);
  });

  it('names every accepted form in its error', () => {
    expect(() => parseFrom('soon', NOW)).toThrow(
      '--from "soon" is not understood: use trim-horizon, latest, a sequence number (digits), ' +
        'an ISO 8601 time (2024-05-01T10:00:00Z) or a duration back from now (90s, 15m, 2h, 1d, 1h30m)',
    );
  });
});

describe('parseUntil', () => {
  it('accepts a time, a duration or a sequence number', () => {
    expect(parseUntil('2024-05-01T11:00:00Z', NOW)).toEqual({
      kind: 'time', time: new Date('2024-05-01T11:00:00Z'), input: '2024-05-01T11:00:00Z',
    });
    expect(parseUntil('5m', NOW)).toEqual({ kind: 'time', time: new Date('2024-05-01T11:55:00Z'), input: '5m' });
    expect(parseUntil('300000000000000000002', NOW)).toEqual({ kind: 'sequence', sequenceNumber: '300000000000000000002' });
  });

  it('rejects stream positions that are no end point', () => {
    expect(() => parseUntil('latest', NOW)).toThrow('--until "latest" is not an end point: use an ISO 8601 time');
    expect(() => parseUntil('trim-horizon', NOW)).toThrow(UsageError);
    expect(() => parseUntil('later', NOW)).toThrow('--until "later" is not understood');
  });
});

describe('readStart', () => {
  it('maps stream positions to iterator types', () => {
    expect(readStart({ kind: 'trim-horizon' })).toEqual({ position: { type: 'TRIM_HORIZON' } });
    expect(readStart({ kind: 'latest' })).toEqual({ position: { type: 'LATEST' } });
    expect(readStart({ kind: 'sequence', sequenceNumber: '42' })).toEqual({
      position: { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: '42' },
    });
  });

  it('emulates a time start: TRIM_HORIZON and skip older records', () => {
    const start = readStart(parseFrom('2024-05-01T10:00:00Z', NOW));
    expect(start.position).toEqual({ type: 'TRIM_HORIZON' });
    expect(start.skip?.(at('2024-05-01T09:59:59Z'))).toBe(true);
    expect(start.skip?.(at('2024-05-01T10:00:00Z'))).toBe(false);
    expect(start.skip?.(at('2024-05-01T10:00:01Z'))).toBe(false);
  });

  it('keeps a record stamped in the same second as a start with milliseconds', () => {
    // Records carry whole seconds; a write at 10:00:00.700 shows as 10:00:00.
    const start = readStart(parseFrom('2024-05-01T10:00:00.500Z', NOW));
    expect(start.skip?.(at('2024-05-01T10:00:00Z'))).toBe(false);
    expect(start.skip?.(at('2024-05-01T09:59:59Z'))).toBe(true);
  });

  it('skips by the time a duration resolved to', () => {
    const start = readStart(parseFrom('15m', NOW));
    expect(start.skip?.(at('2024-05-01T11:44:59Z'))).toBe(true);
    expect(start.skip?.(at('2024-05-01T11:45:00Z'))).toBe(false);
  });
});

describe('pastUntil', () => {
  it('stops after a time, keeping records at the time itself', () => {
    const past = pastUntil(parseUntil('2024-05-01T11:00:00Z', NOW));
    expect(past(at('2024-05-01T11:00:00Z'))).toBe(false);
    expect(past(at('2024-05-01T11:00:01Z'))).toBe(true);
  });

  it('stops after a sequence number, comparing as integers not text', () => {
    const past = pastUntil(parseUntil('900000000000000000000', NOW));
    expect(past(at('2024-05-01T11:00:00Z', '900000000000000000000'))).toBe(false);
    expect(past(at('2024-05-01T11:00:00Z', '1000000000000000000000'))).toBe(true);
    expect(past(at('2024-05-01T11:00:00Z', '99999999999999999999'))).toBe(false);
  });
});

describe('isEmptyWindow', () => {
  it('spots an until before the from', () => {
    expect(isEmptyWindow(parseFrom('1h', NOW), parseUntil('2h', NOW))).toBe(true);
    expect(isEmptyWindow(parseFrom('2h', NOW), parseUntil('1h', NOW))).toBe(false);
    expect(isEmptyWindow(parseFrom('20', NOW), parseUntil('100', NOW))).toBe(false);
    expect(isEmptyWindow(parseFrom('200', NOW), parseUntil('100', NOW))).toBe(true);
    expect(isEmptyWindow(parseFrom('latest', NOW), parseUntil('1h', NOW))).toBe(false);
    expect(isEmptyWindow(parseFrom('latest', NOW), undefined)).toBe(false);
  });
});

describe('parseDuration and parseIsoTime', () => {
  it('parse what they should and nothing else', () => {
    expect(parseDuration('45S')).toBe(45_000);
    expect(parseDuration('2H15M')).toBe(8_100_000);
    expect(parseDuration('15')).toBeUndefined();
    expect(parseDuration('m')).toBeUndefined();
    expect(parseDuration('')).toBeUndefined();
    expect(parseIsoTime('2024-04-31')).toBeUndefined();
    expect(parseIsoTime('2024-02-29T00:00:00Z')?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(parseIsoTime('2023-02-29')).toBeUndefined();
    expect(parseIsoTime('2024-05-01T10:00:00+24:00')).toBeUndefined();
  });
});

describe('describe', () => {
  it('says what a position means', () => {
    expect(describeFrom(parseFrom('2h', NOW))).toBe('2024-05-01T10:00:00.000Z (skipping older records)');
    expect(describeFrom(parseFrom('latest', NOW))).toBe('latest');
    expect(describeFrom(parseFrom('trim-horizon', NOW))).toBe('trim horizon');
    expect(describeFrom(parseFrom('12', NOW))).toBe('sequence number 12');
    expect(describeUntil(parseUntil('12', NOW))).toBe('sequence number 12');
    expect(describeUntil(parseUntil('1h', NOW))).toBe('2024-05-01T11:00:00.000Z');
  });
});
