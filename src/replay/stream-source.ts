import { toLambdaRecord, type LambdaStreamRecord } from '../records/lambda-record.js';
import type { StreamRecord } from '../records/record.js';
import type { UndecodableCount, UnknownTally } from '../records/attribute-kind.js';
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
 * A record as the handler sees it. A value of a type ddbstream does not know reaches the handler
 * as the stream sent it (Lambda would pass it on too); the record is counted in `affected`.
 */
function lambdaRecord(record: StreamRecord, affected: UndecodableCount | undefined): LambdaStreamRecord {
  const unknown: UnknownTally = { values: 0 };
  const lambda = toLambdaRecord(record, unknown);
  if (unknown.values > 0 && affected) affected.records++;
  return lambda;
}

/**
 * The reading session's pages (positions, --until, filters and -n applied) as the handler will
 * see them; what the selection dropped still lets the checkpoint move past it.
 */
export async function* replayPages(batches: AsyncIterable<SelectedBatch>, affected?: UndecodableCount): AsyncGenerator<ReplayPage> {
  for await (const batch of batches) {
    yield {
      shardId: batch.shardId,
      records: batch.records.map((record) => lambdaRecord(record, affected)),
      end: batch.end,
      caughtUp: batch.source.caughtUp,
      ...(batch.through !== undefined ? { through: batch.through } : {}),
      skipped: droppedIn(batch),
    };
  }
}
