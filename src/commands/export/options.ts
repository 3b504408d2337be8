import type { AwsOptions } from '../../aws/aws-options.js';
import type { RawReadingOptions } from '../../options/reading-options.js';
import type { RawGroupOptions } from '../../options/group-options.js';
import type { RawScanOptions } from '../../session/backfill-session.js';

/** The options of `export` as commander hands them over. */
export interface ExportOptions extends AwsOptions, RawReadingOptions, RawGroupOptions, RawScanOptions {
  output?: string;
  raw?: boolean;
  diff?: boolean;
  follow?: boolean;
  quiet?: boolean;
  stats?: boolean;
}
