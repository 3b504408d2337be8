import type { AwsOptions } from '../../aws/aws-options.js';

/** The options of `doctor` as commander hands them over. */
export interface DoctorOptions extends AwsOptions {
  json?: boolean;
}
