import { toLambdaRecord } from '../records/lambda-record.js';
import type { SelectedBatch } from '../stream/select-records.js';
import type { ReplayPage } from './engine-types.js';

/** Records the selection dropped from a page: those it accounts for, less those it kept. */
function droppedIn(batch: SelectedBatch): number {
  if (batch.through === undefined) return 0;
  const records = batch.source.records;
  for (let i = records.length - 1; i >= 0; i--) {
    if (records[i]!.sequenceNumber === batch.through) return i + 1 - batch.records.length;
  }
  return 0;
}

/**
 * The reading session's pages (positions, --until, filters and -n applied) as the handler will
 * see them; what the selection dropped still lets the checkpoint move past it.
 */
export async function* replayPages(batches: AsyncIterable<SelectedBatch>): AsyncGenerator<ReplayPage> {
  for await (const batch of batches) {
    yield {
      shardId: batch.shardId,
      records: batch.records.map(toLambdaRecord),
      end: batch.end,
      caughtUp: batch.source.caughtUp,
      ...(batch.through !== undefined ? { through: batch.through } : {}),
      skipped: droppedIn(batch),
    };
  }
}
