/** What a progress line shows of a scan. */
export interface ScanStatus {
  readonly items: number;
  /** Read capacity consumed. */
  readonly capacity: number;
  readonly segmentsDone: number;
  readonly totalSegments: number;
  /** True while the scan runs. */
  readonly scanning: boolean;
}

/** What a backfill's progress line shows while it scans. */
export class ScanStats implements ScanStatus {
  items = 0;
  capacity = 0;
  segmentsDone = 0;
  scanning = false;

  constructor(readonly totalSegments: number) {}
}

/**
 * The scans of several tables as one (`--scan` of several): items, capacity and segments
 * summed, scanning while any of them is. Read live: it follows the scans as they go.
 */
export function sumScanStats(all: readonly ScanStatus[]): ScanStatus {
  const sum = (pick: (stats: ScanStatus) => number): number => all.reduce((total, stats) => total + pick(stats), 0);
  return {
    get items() { return sum((s) => s.items); },
    get capacity() { return sum((s) => s.capacity); },
    get segmentsDone() { return sum((s) => s.segmentsDone); },
    get totalSegments() { return sum((s) => s.totalSegments); },
    get scanning() { return all.some((s) => s.scanning); },
  };
}

/** `scanned 12,345 items · segments 3/8 done · 512.5 RCU` */
export function scanStatusText(stats: ScanStatus): string {
  const capacity = stats.capacity >= 100 ? Math.round(stats.capacity).toLocaleString('en-US') : String(Math.round(stats.capacity * 10) / 10);
  return `scanned ${stats.items.toLocaleString('en-US')} items · segments ${stats.segmentsDone}/${stats.totalSegments} done · ${capacity} RCU`;
}
