import type { AwsOptions } from '../../aws/aws-options.js';
import type { RawReadingOptions } from '../../options/reading-options.js';
import type { RawGroupOptions } from '../../options/group-options.js';
import type { RawMappingOptions } from '../../replay/options.js';
import type { RawScanOptions } from '../../session/backfill-session.js';

/** The options of `replay` as commander hands them over. */
export interface ReplayOptions extends AwsOptions, RawReadingOptions, RawMappingOptions, RawGroupOptions, RawScanOptions {
  /** Required, except with --print-esm. */
  handler?: string;
  handlerExport?: string;
  input?: string;
  follow?: boolean;
  watch?: boolean;
  onFailure?: string;
  functionName?: string;
  esm?: string;
  /** true: the default format. */
  printEsm?: string | true;
  stats?: boolean;
}

/** Reading options that only make sense for a stream: refused with --input when given. */
export const STREAM_ONLY_OPTIONS: readonly string[] = ['from', 'until', 'checkpoint', 'concurrency', 'pollInterval', 'onTrimmed', 'follow', 'group', 'scan', 'scanSegments', 'consistent'];
