/** What a backfill's progress line shows while it scans. */
export class ScanStats {
  items = 0;
  capacity = 0;
  segmentsDone = 0;
  scanning = false;

  constructor(readonly totalSegments: number) {}
}

/** `scanned 12,345 items · segments 3/8 done · 512.5 RCU` */
export function scanStatusText(stats: ScanStats): string {
  const capacity = stats.capacity >= 100 ? Math.round(stats.capacity).toLocaleString('en-US') : String(Math.round(stats.capacity * 10) / 10);
  return `scanned ${stats.items.toLocaleString('en-US')} items · segments ${stats.segmentsDone}/${stats.totalSegments} done · ${capacity} RCU`;
}
