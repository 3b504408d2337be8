import type { Shard } from '@aws-sdk/client-dynamodb-streams';
import { compareSequenceNumbers } from '../records/record.js';
import { isShardOpen } from './shard-tree.js';
import type { StartPosition } from './types.js';

/** What the reader knows of earlier progress: a checkpoint store, read-only. */
export interface CheckpointView {
  position(shardId: string): { sequenceNumber?: string; finished: boolean } | undefined;
  shardIds(): string[];
}

/** How to begin one shard: skip it (already read, or before the start), or an iterator type. */
export type ShardStart = { skip: true } | { skip: false; position: StartPosition };

const TRIM_HORIZON: ShardStart = { skip: false, position: { type: 'TRIM_HORIZON' } };

/**
 * The start of a shard present in the first DescribeStream. Shards found later always start at
 * TRIM_HORIZON: they were created after we began, so all their records are new to us.
 */
export function planInitialStart(
  shard: Shard,
  start: StartPosition,
  checkpoint: CheckpointView | undefined,
  parent?: Shard,
): ShardStart {
  const id = shard.ShardId ?? '';
  const open = isShardOpen(shard);
  if (checkpoint && checkpoint.shardIds().length > 0) {
    const saved = checkpoint.position(id);
    if (saved?.finished) return { skip: true };
    if (saved?.sequenceNumber) return { skip: false, position: { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: saved.sequenceNumber } };
    // Not in the checkpoint: a shard we never reached. Read it whole, never lose records.
    return TRIM_HORIZON;
  }
  switch (start.type) {
    case 'TRIM_HORIZON':
      return TRIM_HORIZON;
    case 'LATEST':
      // Closed shards hold only the past; open shards start at their tip. But a child listed
      // while its parent is still open (the DescribeStream race) is read only after the parent
      // ends, and its tip by then is past records written since we started: read it whole.
      if (!open) return { skip: true };
      return parent && isShardOpen(parent) ? TRIM_HORIZON : { skip: false, position: start };
    case 'AT_SEQUENCE_NUMBER':
    case 'AFTER_SEQUENCE_NUMBER': {
      // A sequence number lies in one shard; shards wholly before it are skipped, later ones read whole.
      const first = shard.SequenceNumberRange?.StartingSequenceNumber;
      const last = shard.SequenceNumberRange?.EndingSequenceNumber;
      if (last !== undefined && compareSequenceNumbers(last, start.sequenceNumber) < 0) return { skip: true };
      if (first !== undefined && compareSequenceNumbers(first, start.sequenceNumber) > 0) return TRIM_HORIZON;
      return { skip: false, position: start };
    }
  }
}
