import type { Command } from 'commander';
import type { CommandContext } from '../../io/command-context.js';
import { parsePort } from '../../local/ports.js';
import { type LocalOptions } from './options.js';

/** DynamoDB Local's own default, which most examples and tools assume. */
export const DEFAULT_LOCAL_PORT = 8000;

export function registerLocalCommand(program: Command, context: CommandContext): void {
  program
    .command('local')
    .description('run DynamoDB Local (bundled, needs Java 17+) in the foreground until Ctrl-C, to try every command against it')
    .option('--port <number>', 'port to listen on; 0 picks a free one', parsePort, DEFAULT_LOCAL_PORT)
    .option('--db-path <dir>', 'keep the data in this directory (created if missing) instead of in memory')
    .addHelpText('after', `
Examples:
  ddbstream local                         in memory, on http://localhost:8000
  ddbstream local --port 0                on a free port (printed at start)
  ddbstream local --db-path ./.dynamodb   keep tables and items between runs`)
    .action(async (options: LocalOptions) => {
      const { runLocal } = await import('./run.js');
      await runLocal(options, context);
    });
}
