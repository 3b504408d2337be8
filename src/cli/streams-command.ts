import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { addAwsOptions, type AwsOptions } from './aws-options.js';

export interface StreamsOptions extends AwsOptions {
  table?: string;
  json?: boolean;
}

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
      const { runStreams } = await import('../commands/streams.js');
      await runStreams(options, context);
    });
}
