import type { StreamRecord } from '../records/record.js';
import type { RecordFilter } from '../records/record-filter.js';
import type { ReadStart } from './position.js';
import type { ShardBatch } from './types.js';

/** One page after positions, --until, filters and -n: what to emit, and how far the shard got. */
export interface SelectedBatch {
  shardId: string;
  parentShardId?: string;
  /** Records to deliver, in shard order. */
  records: StreamRecord[];
  /**
   * The last sequence number this page accounts for (emitted, filtered out or skipped): the
   * checkpoint may move here once `records` are delivered. Undefined for an empty page.
   */
  through?: string;
  /** The shard is finished: closed and read to its end (and nothing was cut by -n/--until). */
  end: boolean;
  source: ShardBatch;
}

/** What moving a checkpoint past a delivered page needs of it. */
export type CommitMark = Pick<SelectedBatch, 'shardId' | 'through' | 'end'>;

/** The reading rules applied to pages (the validated `--from`, `--until`, `-n` and filter options). */
export interface Selection {
  start: ReadStart;
  /** True for a record after `--until`: that shard is done. */
  pastUntil?: (record: StreamRecord) => boolean;
  maxRecords?: number;
  filter: RecordFilter;
}

/**
 * Applies the shared reading rules to the reader's pages. Stops (returns) once -n records went
 * out; drops a shard's records after --until (the reader stops that shard there, and ends the
 * run once every shard has stopped).
 */
export async function* selectRecords(batches: AsyncIterable<ShardBatch>, selection: Selection): AsyncGenerator<SelectedBatch> {
  const { skip } = selection.start;
  const past = selection.pastUntil;
  const filter = selection.filter.active ? selection.filter : undefined;
  let remaining = selection.maxRecords ?? Infinity;
  const shardsPastUntil = new Set<string>();

  for await (const batch of batches) {
    const chosen: StreamRecord[] = [];
    let through: string | undefined;
    let cut = false;
    if (shardsPastUntil.has(batch.shardId)) continue;
    for (const record of batch.records) {
      if (past?.(record)) {
        shardsPastUntil.add(batch.shardId);
        cut = true;
        break;
      }
      through = record.sequenceNumber;
      if (skip?.(record)) continue;
      if (filter && !filter.matches(record)) continue;
      chosen.push(record);
      if (--remaining === 0) {
        cut = batch.records[batch.records.length - 1] !== record;
        break;
      }
    }
    yield {
      shardId: batch.shardId,
      ...(batch.parentShardId ? { parentShardId: batch.parentShardId } : {}),
      records: chosen,
      ...(through ? { through } : {}),
      end: batch.end && !cut,
      source: batch,
    };
    if (remaining === 0) return;
  }
}

/** What the checkpoint needs of a page, without its records. */
export function commitMark({ shardId, through, end }: CommitMark): CommitMark {
  return through === undefined ? { shardId, end } : { shardId, through, end };
}
