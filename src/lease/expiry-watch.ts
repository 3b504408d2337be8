import type { Lease } from './lease.js';

/**
 * When each lease's counter last moved, as this worker saw it (KCL's rule): a lease is expired
 * once its counter has stood still for the lease duration. Only this machine's clock is read,
 * so workers on machines whose clocks disagree still agree on who is alive.
 */
export class ExpiryWatch {
  private readonly seen = new Map<string, { counter: number; movedAt: number }>();

  constructor(private readonly durationMs: number) {}

  /** Takes a scan of the table at time `now` (ms, this machine's clock). */
  observe(leases: readonly Lease[], now: number): void {
    const present = new Set<string>();
    for (const lease of leases) {
      present.add(lease.leaseKey);
      const before = this.seen.get(lease.leaseKey);
      if (before && before.counter === lease.leaseCounter) continue;
      // First sight: an owned lease counts as just renewed (its owner may be alive); a free one
      // as never renewed, so it can be taken at once.
      const movedAt = before || lease.leaseOwner ? now : Number.NEGATIVE_INFINITY;
      this.seen.set(lease.leaseKey, { counter: lease.leaseCounter, movedAt });
    }
    for (const key of this.seen.keys()) if (!present.has(key)) this.seen.delete(key);
  }

  /** Our own write moved the counter: no need to wait for the next scan to know. */
  noteWrite(leaseKey: string, counter: number, now: number): void {
    this.seen.set(leaseKey, { counter, movedAt: now });
  }

  isExpired(lease: Lease, now: number): boolean {
    const seen = this.seen.get(lease.leaseKey);
    if (!seen) return !lease.leaseOwner;
    return now - seen.movedAt > this.durationMs;
  }
}
