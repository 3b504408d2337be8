import type { AwsOptions } from '../../aws/aws-options.js';

/** The options of `shards` as commander hands them over. */
export interface ShardsOptions extends AwsOptions {
  json?: boolean;
}
