import { describe, expect, it } from 'vitest';
import type { StreamRecord } from '../../src/records/record.js';
import { UNTIL_TIME_GRACE_MS, UntilPoint } from '../../src/stream/until-point.js';

const at = (iso: string, sequenceNumber = '100'): StreamRecord => ({ time: new Date(iso), sequenceNumber }) as StreamRecord;

describe('UntilPoint', () => {
  it('a time: behind us a grace second after it, or once any record past it was read', () => {
    let now = Date.parse('2026-01-01T10:00:00Z');
    const point = new UntilPoint({ kind: 'time', time: new Date('2026-01-01T10:00:05Z'), input: '' }, () => now);
    expect(point.behindUs()).toBe(false);
    expect(point.reachedBy([at('2026-01-01T10:00:05Z')])).toBe(false);
    expect(point.behindUs()).toBe(false);
    now = Date.parse('2026-01-01T10:00:05Z') + UNTIL_TIME_GRACE_MS;
    expect(point.behindUs()).toBe(false);
    now += 1;
    expect(point.behindUs()).toBe(true);

    const other = new UntilPoint({ kind: 'time', time: new Date('2026-01-01T10:00:05Z'), input: '' }, () => Date.parse('2026-01-01T09:00:00Z'));
    expect(other.reachedBy([at('2026-01-01T10:00:04Z'), at('2026-01-01T10:00:06Z')])).toBe(true);
    expect(other.behindUs()).toBe(true);
  });

  it('a sequence number: behind us only once a record past it was read, whatever the clock', () => {
    const point = new UntilPoint({ kind: 'sequence', sequenceNumber: '500' }, () => Number.MAX_SAFE_INTEGER);
    expect(point.reachedBy([at('2026-01-01T00:00:00Z', '499'), at('2026-01-01T00:00:00Z', '500')])).toBe(false);
    expect(point.behindUs()).toBe(false);
    expect(point.reachedBy([at('2026-01-01T00:00:00Z', '501')])).toBe(true);
    expect(point.behindUs()).toBe(true);
  });
});
