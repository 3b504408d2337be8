import type { AwsOptions } from '../../aws/aws-options.js';

/** The options of `leases` as commander hands them over. */
export interface LeasesOptions extends AwsOptions {
  json?: boolean;
  leaseDuration?: string;
}
