import { Option, type Command } from 'commander';
import type { CommandContext } from '../../io/command-context.js';
import { addAwsOptions } from '../../options/aws-options.js';
import { addReadingOptions } from '../../options/reading-options.js';
import { TAIL_FORMATS, type TailOptions } from './options.js';

export function registerTailCommand(program: Command, context: CommandContext): void {
  const command = program
    .command('tail')
    .argument('<stream...>', 'table names or stream ARNs (several are read at once)')
    .description('follow every shard live, child shards included, and show each change as old → new')
    .addOption(new Option('--format <format>', 'pretty: interactive view (default on a terminal); plain: text blocks; ndjson: one JSON object a line (default in a pipe); raw: Lambda event records')
      .choices(TAIL_FORMATS))
    .option('--full', 'show whole old and new images instead of the diff (key d in the interactive view)')
    .option('--wide', 'show long values whole instead of cutting them to the terminal width');
  addReadingOptions(command, { from: 'latest' });
  addAwsOptions(command)
    .addHelpText('after', `
Keys in the interactive view: space pause/resume, d diff/full images, c clear, q or Ctrl-C quit.

Examples:
  ddbstream tail Users
  ddbstream tail Users --format plain --full --event MODIFY
  ddbstream tail Users | jq -c 'select(.eventName == "MODIFY") | .newImage'
  ddbstream tail Users --from 15m -n 20 --format plain
  ddbstream tail Users Orders --checkpoint both.cp        # two streams; the next run resumes both
  ddbstream tail Users --endpoint-url http://localhost:8000`)
    .action(async (streams: string[], options: Omit<TailOptions, 'color'>, cmd: Command) => {
      const { runTail } = await import('./run.js');
      await runTail(streams.length === 1 ? streams[0]! : streams, { ...options, color: cmd.optsWithGlobals().color !== false }, context);
    });
}
