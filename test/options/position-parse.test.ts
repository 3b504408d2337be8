import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/util/errors.js';
import { parseDuration, parseFrom, parseIsoTime, parseUntil } from '../../src/options/position-parse.js';

const NOW = new Date('2024-05-01T12:00:00.000Z');

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
