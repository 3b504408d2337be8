import type { AwsOptions } from '../aws/aws-options.js';
import type { CommandContext } from '../io/command-context.js';
import type { GroupOptions } from '../options/group-options.js';
import type { RawReadingOptions, ReadingOptions } from '../options/reading-options.js';
import type { BackfillSession, RawScanOptions } from './backfill-session.js';
import { openReadingSession, type ReadingSession } from './reading-session.js';

/**
 * The session of one stream: read as it is, in a consumer group or not, or backfilled with
 * `--scan` first (alone, or shared by the group). The backfill's modules load only for `--scan`.
 */
export async function openOneSession(
  name: string,
  options: AwsOptions & RawReadingOptions & RawScanOptions,
  context: CommandContext,
  reading: ReadingOptions,
  group: GroupOptions | undefined,
): Promise<ReadingSession | BackfillSession> {
  if (!options.scan) return openReadingSession(name, options, context, reading, group);
  if (group) {
    const { openGroupBackfill } = await import('./group-backfill.js');
    return openGroupBackfill(name, options, context, reading, group);
  }
  const { openBackfillSession } = await import('./backfill-session.js');
  return openBackfillSession(name, options, context, reading);
}
