import { toLambdaRecord } from '../records/lambda-record.js';
import type { StreamRecord } from '../records/record.js';
import type { ShardBatch } from '../stream/types.js';
import type { ReplayPage } from './engine-types.js';

export interface StreamPageOptions {
  /** Records before an emulated time start: dropped, the checkpoint does not move for them. */
  skip?: (record: StreamRecord) => boolean;
  /** True past `--until`: that shard's later records are not replayed (nor checkpointed). */
  pastUntil?: (record: StreamRecord) => boolean;
}

/**
 * The reader's pages as the handler will see them. With `--until`, a shard's records stop at
 * the end point, and the source ends once every shard read has passed it: later records of a
 * lineage (in its children) are later still.
 */
export async function* streamPages(batches: AsyncIterable<ShardBatch>, options: StreamPageOptions = {}): AsyncGenerator<ReplayPage> {
  const { skip, pastUntil } = options;
  const seen = new Set<string>();
  const passed = new Set<string>();
  for await (const batch of batches) {
    seen.add(batch.shardId);
    if (passed.has(batch.shardId)) continue;
    let records = skip ? batch.records.filter((record) => !skip(record)) : batch.records;
    let end = batch.end;
    if (pastUntil) {
      const cut = records.findIndex(pastUntil);
      if (cut >= 0) {
        records = records.slice(0, cut);
        passed.add(batch.shardId);
        end = false;
      }
    }
    yield { shardId: batch.shardId, records: records.map(toLambdaRecord), end, caughtUp: batch.caughtUp };
    if (passed.size > 0 && passed.size === seen.size) return;
  }
}
