import type { Command } from 'commander';

/** Declares the AWS connection options (typed by `AwsOptions` in `aws/`). */
export function addAwsOptions(command: Command): Command {
  return command
    .option('--region <region>', 'AWS region (default: AWS_REGION, the profile\'s region; us-east-1 for a local endpoint)')
    .option('--profile <name>', 'named profile from ~/.aws/config (SSO profiles work)')
    .option('--endpoint-url <url>', 'endpoint, e.g. http://localhost:8000 for DynamoDB Local; a bare host:port means http:// (also AWS_ENDPOINT_URL_DYNAMODB_STREAMS, AWS_ENDPOINT_URL)');
}
