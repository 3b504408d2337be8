import type { Command } from 'commander';
import type { CommandContext } from '../../io/command-context.js';
import { addAwsOptions } from '../../options/aws-options.js';
import type { DoctorOptions } from './options.js';

export function registerDoctorCommand(program: Command, context: CommandContext): void {
  const command = program
    .command('doctor')
    .argument('[stream]', 'also check this table\'s stream (or stream ARN): DescribeStream and one GetRecords')
    .description('check Node, region, credentials, endpoints and permissions, and say what to fix')
    .option('--json', 'one JSON object with every check, instead of lines');
  addAwsOptions(command)
    .addHelpText('after', `
Checks, in order: Node.js and ddbstream versions; the region and where it came from; which
credentials the default chain finds (source, the key id's last 4 characters, expiry; never the
secret); the DynamoDB Streams and DynamoDB endpoints, whether they answer and how fast;
ListStreams; with STREAM, the stream and one GetRecords (nothing is consumed); Java 17+ for demo
and local. Each check gives up after about 3 seconds. Exit 0 when a stream can be read, 1 otherwise.

Examples:
  ddbstream doctor
  ddbstream doctor Users --profile prod
  ddbstream doctor --endpoint-url http://localhost:8000 --json`)
    .action(async (stream: string | undefined, options: DoctorOptions) => {
      const { runDoctorCommand } = await import('./run.js');
      await runDoctorCommand(stream, options, context);
    });
}
