import { describe, expect, it } from 'vitest';
import { ScanStats, scanStatusText, sumScanStats } from '../../src/scan/scan-stats.js';

describe('scan progress on the status line', () => {
  it('says the items scanned, the segments done and the capacity', () => {
    const stats = new ScanStats(8);
    stats.items = 12_345;
    stats.segmentsDone = 3;
    stats.capacity = 512.46;
    expect(scanStatusText(stats)).toBe('scanned 12,345 items · segments 3/8 done · 512 RCU');
  });

  it('several tables: summed as the scans go, scanning while any of them is', () => {
    const users = new ScanStats(4);
    const orders = new ScanStats(2);
    const both = sumScanStats([users, orders]);
    users.scanning = true;
    orders.scanning = true;
    users.items = 100;
    orders.items = 20;
    orders.capacity = 1.5;
    orders.segmentsDone = 2;
    orders.scanning = false;
    expect(both.scanning).toBe(true);
    expect(scanStatusText(both)).toBe('scanned 120 items · segments 2/6 done · 1.5 RCU');
    users.scanning = false;
    expect(both.scanning).toBe(false);
  });
});
