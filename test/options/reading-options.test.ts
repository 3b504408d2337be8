import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addReadingOptions, parseReadingOptions, READING_DEFAULTS, type RawReadingOptions } from '../../src/options/reading-options.js';
import { UsageError } from '../../src/util/errors.js';
import type { StreamRecord } from '../../src/records/record.js';

const NOW = new Date('2024-05-01T12:00:00.000Z');

function parseArgs(args: string[], defaults?: Parameters<typeof addReadingOptions>[1]): RawReadingOptions {
  const command = addReadingOptions(new Command('export').exitOverride(), defaults);
  command.parse(args, { from: 'user' });
  return command.opts<RawReadingOptions>();
}

function record(overrides: Partial<StreamRecord> = {}): StreamRecord {
  return {
    streamArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/T/stream/2024-05-01T00:00:00.000',
    table: 'T',
    shardId: 'shardId-1',
    sequenceNumber: '100000000000000000001',
    eventId: 'e1',
    eventName: 'INSERT',
    eventVersion: '1.1',
    awsRegion: 'us-east-1',
    time: new Date('2024-05-01T11:00:00Z'),
    keys: { id: { N: '7' } },
    newImage: { id: { N: '7' }, status: { S: 'active' } },
    sizeBytes: 20,
    ...overrides,
  };
}

describe('addReadingOptions', () => {
  it('declares every reading option with its defaults', () => {
    expect(parseArgs([])).toEqual({
      from: 'trim-horizon',
      concurrency: String(READING_DEFAULTS.concurrency),
      pollInterval: String(READING_DEFAULTS.pollIntervalMs),
      onTrimmed: 'fail',
    });
    expect(parseArgs([], { from: 'latest' }).from).toBe('latest');
  });

  it('collects repeatable options in order', () => {
    const raw = parseArgs([
      '--from', '15m', '--until', '5m', '-n', '10', '--checkpoint', 'cp.json',
      '--event', 'insert', '--event', 'modify,remove',
      '--key', 'pk=a', '--key', 'sk=1',
      '--filter', '{"eventName":["INSERT"]}', '--filter', '{"eventName":["REMOVE"]}',
      '--concurrency', '4', '--poll-interval', '250', '--on-trimmed', 'skip',
    ]);
    expect(raw).toEqual({
      from: '15m', until: '5m', maxRecords: '10', checkpoint: 'cp.json',
      event: ['insert', 'modify,remove'], key: ['pk=a', 'sk=1'],
      filter: ['{"eventName":["INSERT"]}', '{"eventName":["REMOVE"]}'],
      concurrency: '4', pollInterval: '250', onTrimmed: 'skip',
    });
  });

  it('says in --help that time starts are emulated', () => {
    // Commander wraps help to the terminal width: compare with the line breaks folded.
    const help = addReadingOptions(new Command('export')).helpInformation({ error: false }).replace(/\s+/g, ' ');
    expect(help).toContain('--from <position>');
    expect(help).toContain('emulated by reading from TRIM_HORIZON and skipping older records');
    expect(help).toContain('(default: trim-horizon)');
    expect(help).toContain('--filter <pattern>');
    expect(help).toContain('repeatable up to 5, ORed');
    expect(help).toContain('-n, --max-records <n>');
  });
});

describe('parseReadingOptions', () => {
  it('types the defaults', () => {
    const options = parseReadingOptions(parseArgs([]), NOW);
    expect(options).toMatchObject({
      from: { kind: 'trim-horizon' },
      start: { position: { type: 'TRIM_HORIZON' } },
      concurrency: 16,
      pollIntervalMs: 250,
      onTrimmed: 'fail',
      description: 'from trim horizon',
    });
    expect(options.until).toBeUndefined();
    expect(options.pastUntil).toBeUndefined();
    expect(options.maxRecords).toBeUndefined();
    expect(options.checkpoint).toBeUndefined();
    expect(options.filter.active).toBe(false);
  });

  it('types everything given', () => {
    const options = parseReadingOptions(parseArgs([
      '--from', '2h', '--until', '2024-05-01T11:30:00Z', '-n', '1500', '--checkpoint', ' cp.json ',
      '--event', 'INSERT', '--key', 'id=7.0', '--filter', '{"dynamodb":{"NewImage":{"status":{"S":["active"]}}}}',
      '--concurrency', '16', '--poll-interval', '1000', '--on-trimmed', 'SKIP',
    ]), NOW);
    expect(options.from).toEqual({ kind: 'time', time: new Date('2024-05-01T10:00:00Z'), input: '2h' });
    expect(options.start.position).toEqual({ type: 'TRIM_HORIZON' });
    expect(options.start.skip?.(record({ time: new Date('2024-05-01T09:59:59Z') }))).toBe(true);
    expect(options.pastUntil?.(record({ time: new Date('2024-05-01T11:30:01Z') }))).toBe(true);
    expect(options.pastUntil?.(record())).toBe(false);
    expect(options.maxRecords).toBe(1500);
    expect(options.checkpoint).toBe('cp.json');
    expect(options.concurrency).toBe(16);
    expect(options.pollIntervalMs).toBe(1000);
    expect(options.onTrimmed).toBe('skip');
    expect(options.filter.description).toBe('event=INSERT · id=7.0 · 1 filter pattern');
    expect(options.filter.matches(record())).toBe(true);
    expect(options.filter.matches(record({ newImage: { id: { N: '7' }, status: { S: 'gone' } } }))).toBe(false);
    expect(options.description).toBe(
      'from 2024-05-01T10:00:00.000Z (skipping older records), until 2024-05-01T11:30:00.000Z, at most 1,500 records',
    );
  });

  it('describes -n 1 as at most 1 record', () => {
    expect(parseReadingOptions({ maxRecords: '1' }, NOW).description).toBe('from trim horizon, at most 1 record');
  });

  it('maps a sequence-number start to AT_SEQUENCE_NUMBER', () => {
    const options = parseReadingOptions({ from: '4000000000000000000012345' }, NOW);
    expect(options.start).toEqual({ position: { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: '4000000000000000000012345' } });
  });

  it.each<[string, RawReadingOptions, string]>([
    ['-n zero', { maxRecords: '0' }, '-n/--max-records "0" is not a positive whole number (e.g. -n 100)'],
    ['-n negative', { maxRecords: '-5' }, 'is not a positive whole number'],
    ['-n fraction', { maxRecords: '1.5' }, 'is not a positive whole number'],
    ['-n word', { maxRecords: 'ten' }, 'is not a positive whole number'],
    ['-n huge', { maxRecords: '99999999999999999999' }, 'is not a positive whole number'],
    ['bad --from', { from: 'yesterday' }, '--from "yesterday" is not understood: use trim-horizon, latest'],
    ['bad --until', { until: 'later' }, '--until "later" is not understood'],
    ['until before from', { from: '1h', until: '2h' }, '--until 2024-05-01T10:00:00.000Z is before --from 2024-05-01T11:00:00.000Z'],
    ['empty checkpoint', { checkpoint: ' ' }, '--checkpoint needs a file name'],
    ['concurrency 0', { concurrency: '0' }, '--concurrency "0" must be a whole number of shards from 1 to 256'],
    ['concurrency word', { concurrency: 'many' }, '--concurrency "many" must be a whole number'],
    ['poll too fast', { pollInterval: '10' }, '--poll-interval "10" must be a whole number of milliseconds from 50 to 60000'],
    ['on-trimmed', { onTrimmed: 'ignore' }, '--on-trimmed "ignore" is not an action: use fail'],
    ['event', { event: ['UPSERT'] }, '--event "UPSERT" is not a stream event'],
    ['key', { key: ['id'] }, '--key "id" needs the form attribute=value'],
    ['filter JSON', { filter: ['{"eventName": ["INSERT"'] }, '--filter #1: invalid JSON at column 24'],
    ['filter count', { filter: Array.from({ length: 6 }, () => '{"eventName": ["INSERT"]}') }, 'at most 5 patterns'],
  ])('%s is a usage error', (_name, raw, message) => {
    expect(() => parseReadingOptions(raw, NOW)).toThrow(UsageError);
    expect(() => parseReadingOptions(raw, NOW)).toThrow(message);
  });
});
