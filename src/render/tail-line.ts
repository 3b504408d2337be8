import type { StreamRecord } from '../records/record.js';
import { renderRecord, type RenderOptions } from './record-text.js';

/**
 * One record for `tail --format plain`: its lines, each ending in a newline, preceded by a blank
 * line unless it is the first record of the output. The separator goes before rather than after
 * so a live tail never leaves a dangling blank line waiting for the next record.
 */
export function plainRecordText(record: StreamRecord, options: RenderOptions, first: boolean): string {
  return (first ? '' : '\n') + renderRecord(record, options).join('\n') + '\n';
}
