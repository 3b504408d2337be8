import type { AwsOptions } from '../../aws/aws-options.js';
import type { RawReadingOptions } from '../../options/reading-options.js';

export const TAIL_FORMATS = ['pretty', 'plain', 'ndjson', 'raw'] as const;
export type TailFormat = (typeof TAIL_FORMATS)[number];

/** The options of `tail` as commander hands them over. */
export interface TailOptions extends AwsOptions, RawReadingOptions {
  format?: TailFormat;
  full?: boolean;
  wide?: boolean;
  /** From the program's `--no-color`. */
  color: boolean;
}
