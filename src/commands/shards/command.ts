import type { Command } from 'commander';
import type { CommandContext } from '../../io/command-context.js';
import { addAwsOptions } from '../../options/aws-options.js';
import { type ShardsOptions } from './options.js';

export function registerShardsCommand(program: Command, context: CommandContext): void {
  const command = program
    .command('shards')
    .argument('<stream>', 'table name or stream ARN')
    .description('show the shard tree: lineage, open/closed, sequence ranges, age and time left before the 24 h trim')
    .option('--json', 'one JSON object per shard');
  addAwsOptions(command)
    .addHelpText('after', `
Examples:
  ddbstream shards Users
  ddbstream shards arn:aws:dynamodb:eu-west-1:123456789012:table/Users/stream/2024-05-01T10:00:00.000 --json`)
    .action(async (stream: string, options: ShardsOptions) => {
      const { runShards } = await import('./run.js');
      await runShards(stream, options, context);
    });
}
