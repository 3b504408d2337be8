import { describe, expect, it } from 'vitest';
import { eventPayload } from '../../src/replay/event-envelope.js';
import { entryOf } from '../../src/replay/lane.js';
import { makeRecord } from './make-records.js';

describe('eventPayload', () => {
  const records = [makeRecord(1, 'a'), makeRecord(2, 'b')];
  const entries = records.map(entryOf);

  it('lambda: {Records}; pipes: the bare array', () => {
    expect(JSON.parse(eventPayload(entries))).toEqual({ Records: records });
    expect(JSON.parse(eventPayload(entries, 'pipes'))).toEqual(records);
    expect(eventPayload([], 'pipes')).toBe('[]');
  });

  it('a tumbling window\'s fields follow Records', () => {
    const window = {
      window: { start: '2024-05-01T10:00:00Z', end: '2024-05-01T10:01:00Z' }, state: { a: 1 }, shardId: 's', eventSourceARN: 'arn',
      isFinalInvokeForWindow: false, isWindowTerminatedEarly: false,
    };
    expect(JSON.parse(eventPayload(entries, 'lambda', window))).toEqual({ Records: records, ...window });
    expect(JSON.parse(eventPayload([], 'lambda', window))).toEqual({ Records: [], ...window });
  });
});
