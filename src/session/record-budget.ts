import type { SelectedBatch } from '../stream/select-records.js';

/**
 * `-n` over several streams: one count of records shared by all of them, taken page by page as
 * the pages are delivered, in whatever order the streams deliver them.
 */
export class RecordBudget {
  private left: number;

  constructor(maxRecords: number | undefined) {
    this.left = maxRecords ?? Infinity;
  }

  /** True once every record the budget allows has been taken: no more pages. */
  get spent(): boolean {
    return this.left <= 0;
  }

  /**
   * The page as far as the budget goes: whole, or cut to the records left (the last page: its
   * shard is then not finished, and its checkpoint stops at its last record); undefined once
   * the budget is spent.
   */
  take(batch: SelectedBatch): SelectedBatch | undefined {
    if (this.spent) return undefined;
    if (batch.records.length < this.left) {
      this.left -= batch.records.length;
      return batch;
    }
    const records = batch.records.slice(0, this.left);
    this.left = 0;
    const last = records[records.length - 1];
    return { ...batch, records, end: batch.end && records.length === batch.records.length, ...(last ? { through: last.sequenceNumber } : {}) };
  }
}

/** One stream's pages within a shared budget; `onSpent` is told when this stream takes the last of it. */
export async function* withinBudget(
  pages: AsyncIterable<SelectedBatch>,
  budget: RecordBudget,
  onSpent: () => void,
): AsyncGenerator<SelectedBatch> {
  for await (const batch of pages) {
    const page = budget.take(batch);
    if (!page) return;
    // Told before the last page goes: the other streams may be waiting for a page that never comes.
    if (budget.spent) onSpent();
    yield page;
    if (budget.spent) return;
  }
}
