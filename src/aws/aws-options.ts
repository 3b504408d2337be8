/** The AWS connection options every AWS-facing command takes, as the user gave them. */
export interface AwsOptions {
  region?: string;
  profile?: string;
  endpointUrl?: string;
}
