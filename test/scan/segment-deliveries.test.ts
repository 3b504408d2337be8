import { describe, expect, it } from 'vitest';
import { SegmentDeliveries } from '../../src/scan/segment-deliveries.js';

describe('SegmentDeliveries', () => {
  it('moves a segment past a page only once its last record is delivered, segment by segment', () => {
    const deliveries = new SegmentDeliveries();
    deliveries.handed(0, 10n, 'A');
    deliveries.handed(0, 20n, 'B');
    deliveries.handed(1, 15n, 'X');
    expect(deliveries.delivered(0, '5')).toBeUndefined();
    expect(deliveries.delivered(0, '15')).toBe('A');
    expect(deliveries.inFlight(0)).toBe('B');
    expect(deliveries.delivered(0, '20')).toBe('B');
    expect(deliveries.inFlight(0)).toBeUndefined();
    expect(deliveries.delivered(0, '30')).toBeUndefined();
    expect(deliveries.inFlight(1)).toBe('X');
    deliveries.finished(1);
    expect(deliveries.inFlight(1)).toBeUndefined();
  });
});
