import type { RecordEntry } from './lane.js';
import type { EventShape } from './options.js';

/** What a tumbling window adds to Lambda's event (Lambda's DynamoDBTimeWindowEvent). */
export interface WindowFields {
  window: { start: string; end: string };
  /** The state the previous invocation of this window returned; `{}` at its start. */
  state: unknown;
  shardId: string;
  eventSourceARN: string;
  isFinalInvokeForWindow: boolean;
  isWindowTerminatedEarly: boolean;
}

/**
 * The invocation payload, from the records' JSON made when they arrived:
 * - `lambda`: an event source mapping's `{"Records": [...]}`, with the window's fields when
 *   tumbling windows are on;
 * - `pipes`: an EventBridge Pipe with a Lambda target sends the batch as a bare JSON array.
 */
export function eventPayload(entries: readonly RecordEntry[], shape: EventShape = 'lambda', window?: WindowFields): string {
  const records = `[${entries.map((entry) => entry.json).join(',')}]`;
  if (shape === 'pipes') return records;
  if (!window) return `{"Records":${records}}`;
  return `{"Records":${records},${JSON.stringify(window).slice(1)}`;
}
