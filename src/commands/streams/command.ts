import type { Command } from 'commander';
import type { CommandContext } from '../../io/command-context.js';
import { addAwsOptions } from '../../options/aws-options.js';
import { type StreamsOptions } from './options.js';

export function registerStreamsCommand(program: Command, context: CommandContext): void {
  const command = program
    .command('streams')
    .description('list DynamoDB streams: table, stream ARN, label, status, view type')
    .option('--table <name>', 'only the streams of this table')
    .option('--json', 'one JSON object per stream (the default when stdout is not a terminal is tab-separated)');
  addAwsOptions(command)
    .addHelpText('after', `
Examples:
  ddbstream streams
  ddbstream streams --table Users --json
  ddbstream streams --endpoint-url http://localhost:8000`)
    .action(async (options: StreamsOptions) => {
      const { runStreams } = await import('./run.js');
      await runStreams(options, context);
    });
}
