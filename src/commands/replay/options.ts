import type { AwsOptions } from '../../aws/aws-options.js';
import type { RawReadingOptions } from '../../options/reading-options.js';
import type { RawMappingOptions } from '../../replay/options.js';
import type { RawScanOptions } from '../../session/backfill-session.js';

/** The options of `replay` as commander hands them over. */
export interface ReplayOptions extends AwsOptions, RawReadingOptions, RawMappingOptions, RawScanOptions {
  handler: string;
  handlerExport?: string;
  input?: string;
  follow?: boolean;
  watch?: boolean;
  onFailure?: string;
  stats?: boolean;
}
