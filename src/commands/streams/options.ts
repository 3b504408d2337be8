import type { AwsOptions } from '../../aws/aws-options.js';

/** The options of `streams` as commander hands them over. */
export interface StreamsOptions extends AwsOptions {
  table?: string;
  json?: boolean;
}
