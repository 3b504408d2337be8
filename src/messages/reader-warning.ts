import type { ReaderEvent } from '../stream/types.js';

/** Human words for the reader's warnings; undefined for events that are not worth a line. */
export function describeReaderWarning(event: ReaderEvent): string | undefined {
  switch (event.type) {
    case 'trimmed':
      return `warning: shard ${event.shardId}: ${event.message}`;
    case 'checkpoint-shard-missing':
      return `warning: shard ${event.shardId} from the checkpoint no longer exists (trimmed); its descendants are read from TRIM_HORIZON`;
    default:
      return undefined;
  }
}
