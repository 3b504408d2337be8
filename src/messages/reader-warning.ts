import type { ReaderEvent } from '../stream/types.js';
import { terminalSafe } from '../render/terminal-text.js';

/**
 * Human words for the reader's warnings; undefined for events that are not worth a line. With
 * `debug`, also the events that only explain what the reader did (nothing lost, nothing to do).
 */
export function describeReaderWarning(event: ReaderEvent, debug = false): string | undefined {
  // Shard ids and the service's messages come from outside: shown, never obeyed by the terminal.
  const words = readerWarningWords(event, debug);
  return words === undefined ? undefined : terminalSafe(words);
}

function readerWarningWords(event: ReaderEvent, debug: boolean): string | undefined {
  switch (event.type) {
    case 'trimmed':
      return `warning: shard ${event.shardId}: ${event.message}`;
    case 'checkpoint-shard-missing':
      return `warning: shard ${event.shardId} from the checkpoint no longer exists (trimmed); its descendants are read from TRIM_HORIZON`;
    case 'empty-shard-reopened':
      return debug
        ? `debug: shard ${event.shardId}: the iterator taken at ${event.startedAt} while the shard was empty was refused as trimmed ` +
          '(DynamoDB Local does this at the first write); nothing had been read, so nothing is lost: reading again from TRIM_HORIZON'
        : undefined;
    case 'caught-up':
      return debug ? 'debug: every shard is read to its latest record; polling for new ones' : undefined;
    default:
      return undefined;
  }
}
