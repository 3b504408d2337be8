import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/util/errors.js';
import { checkReplayable, parseMappingSettings } from '../../src/replay/options.js';

describe('mapping options', () => {
  it('defaults: batch 100, no window, 3 retries, no age limit, factor 1, 60 s timeout, no tumbling window, Lambda\'s event, 1024 MB', () => {
    expect(parseMappingSettings({})).toEqual({
      batchSize: 100, batchWindowMs: 0, maxRetries: 3, bisectOnError: false, maxRecordAgeMs: -1,
      reportBatchItemFailures: false, parallelizationFactor: 1, timeoutMs: 60_000,
      tumblingWindowSeconds: 0, eventShape: 'lambda', memoryMb: 1024,
    });
  });

  it('accepts the edges of every range', () => {
    expect(parseMappingSettings({
      batchSize: '10000', batchWindow: '300', maxRetries: '-1', maxRecordAge: '604800', parallelizationFactor: '10', timeout: '900',
    })).toMatchObject({ batchSize: 10000, batchWindowMs: 300_000, maxRetries: -1, maxRecordAgeMs: 604_800_000, parallelizationFactor: 10, timeoutMs: 900_000 });
    expect(parseMappingSettings({ maxRecordAge: '60', maxRetries: '10000', batchSize: '1' }))
      .toMatchObject({ maxRecordAgeMs: 60_000, maxRetries: 10000, batchSize: 1 });
    expect(parseMappingSettings({ tumblingWindow: '1', memory: '128' })).toMatchObject({ tumblingWindowSeconds: 1, memoryMb: 128 });
    expect(parseMappingSettings({ eventShape: 'pipes' })).toMatchObject({ eventShape: 'pipes', reportBatchItemFailures: false });
    expect(parseMappingSettings({ tumblingWindow: '900', memory: '10240' })).toMatchObject({ tumblingWindowSeconds: 900, memoryMb: 10240 });
  });

  it.each([
    ['batchSize', '10001', '--batch-size'],
    ['batchSize', '1.5', '--batch-size'],
    ['batchWindow', '301', '--batch-window'],
    ['maxRetries', '10001', '--max-retries'],
    ['maxRecordAge', '59', '--max-record-age'],
    ['maxRecordAge', '0', '--max-record-age'],
    ['parallelizationFactor', '0', '--parallelization-factor'],
    ['timeout', '0', '--timeout'],
    ['timeout', 'ten', '--timeout'],
    ['tumblingWindow', '0', '--tumbling-window'],
    ['tumblingWindow', '901', '--tumbling-window'],
    ['memory', '127', '--memory'],
    ['memory', '10241', '--memory'],
    ['eventShape', 'kinesis', '--event-shape'],
  ])('%s=%s is refused, naming %s', (key, value, flag) => {
    expect(() => parseMappingSettings({ [key]: value })).toThrow(UsageError);
    expect(() => parseMappingSettings({ [key]: value })).toThrow(new RegExp(`^${flag} must be .*\\(got "${value.replace('.', '\\.')}"\\)\\.$`));
  });
});

describe('windows and what else they allow', () => {
  it('a Pipe has no windows; a local replay runs windows with one batch per shard at a time', () => {
    expect(() => parseMappingSettings({ tumblingWindow: '60', eventShape: 'pipes' })).toThrow(/an EventBridge Pipe \(--event-shape pipes\) has no windows/);
    const settings = parseMappingSettings({ tumblingWindow: '60', parallelizationFactor: '2' });
    expect(() => checkReplayable(settings)).toThrow(/use it with --parallelization-factor 1/);
    expect(() => checkReplayable(parseMappingSettings({ tumblingWindow: '60' }))).not.toThrow();
  });
});
