import { Command, type OutputConfiguration } from 'commander';
import { createRequire } from 'node:module';
import type { CommandContext } from './io/command-context.js';
import { registerStreamsCommand } from './commands/streams/command.js';
import { registerShardsCommand } from './commands/shards/command.js';
import { registerExportCommand } from './commands/export/command.js';
import { registerLocalCommand } from './commands/local/command.js';
import { registerTailCommand } from './commands/tail/command.js';
import { registerDemoCommand } from './commands/demo/command.js';
import { registerReplayCommand } from './commands/replay/command.js';
import { registerDoctorCommand } from './commands/doctor/command.js';
import { registerCompletionCommand } from './commands/completion/command.js';
import { registerLeasesCommand } from './commands/leases/command.js';

const require = createRequire(import.meta.url);
const { version } = require('../package.json') as { version: string };

/**
 * The commander program. It only declares options: each action lazy-imports its command so that
 * `--help` and `--version` load neither the AWS SDK nor ink.
 */
export function buildProgram(context: CommandContext): Command {
  const program = new Command('ddbstream')
    .description('Inspect, tail, export and replay Amazon DynamoDB Streams.')
    .version(version, '-V, --version')
    .option('--debug', 'show stack traces and SDK details on errors (credentials are redacted)')
    .option('--no-color', 'no colours (also NO_COLOR=1)')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput(output(context))
    // Every command's --help lists --debug and --no-color too: they apply wherever they are placed.
    // Set before the commands are added, which copy it.
    .configureHelp({ showGlobalOptions: true })
    .addHelpText('after', `
Examples:
  ddbstream streams                         list the streams in this region
  ddbstream shards Users                    the shard tree of table Users' stream
  ddbstream tail Users                      live view of every change
  ddbstream export Users | jq .newImage     every record as NDJSON
  ddbstream replay Users --handler ./handler.mjs
  ddbstream demo                            try it on a bundled DynamoDB Local

Exit codes: 0 ok, 1 runtime failure or undecodable records, 2 usage error, 130 interrupted (SIGINT), 143 stopped (SIGTERM).`);

  const registrations = [
    registerStreamsCommand,
    registerShardsCommand,
    registerTailCommand,
    registerExportCommand,
    registerReplayCommand,
    registerLeasesCommand,
    registerDemoCommand,
    registerLocalCommand,
    registerDoctorCommand,
    registerCompletionCommand,
  ];
  for (const register of registrations) {
    register(program, context);
  }
  // `--debug` is the program's option, so commander finds it before or after the subcommand
  // (`ddbstream export Users --debug`). Read it here, once parsed, rather than scanning argv,
  // where a `--debug` after `--` would be an operand. main.ts reads it back for the error line.
  program.hook('preAction', () => {
    context.debug = program.opts<{ debug?: boolean }>().debug === true;
  });
  // Subcommands inherit the output and error handling.
  for (const command of program.commands) {
    command.exitOverride().showHelpAfterError('(add --help for usage)').configureOutput(output(context));
  }
  return program;
}

/** Commander's output through the context; its suggestion joins the error line (two lines at most). */
function output(context: CommandContext): OutputConfiguration {
  return {
    writeOut: (text) => context.stdout.write(text),
    writeErr: (text) => context.stderr.write(text),
    outputError: (text, write) => write(text.replace(/\n\(Did you mean (.+)\?\)/, ' (did you mean $1?)')),
  };
}
