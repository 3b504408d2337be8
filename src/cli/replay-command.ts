import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import type { RawMappingOptions } from '../replay/options.js';
import { addAwsOptions, type AwsOptions } from './aws-options.js';

export interface ReplayOptions extends AwsOptions, RawMappingOptions {
  handler: string;
  handlerExport?: string;
  input?: string;
  from?: string;
  follow?: boolean;
  checkpoint?: string;
  filter?: string[];
  onFailure?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerReplayCommand(program: Command, context: CommandContext): void {
  const command = program
    .command('replay')
    .argument('[stream]', 'table name or stream ARN (not with --input)')
    .description('feed stream records to a local Lambda handler with the event source mapping\'s semantics')
    .requiredOption('--handler <handler>', 'handler module: ./handler.mjs, ./handler.cjs, ./handler.ts, or Lambda\'s form src/index.handler')
    .option('--handler-export <name>', 'the export to call (default: handler, else the default export)')
    .option('--input <file>', 'replay a file instead of a stream: `export --raw` lines or an --on-failure file (no AWS calls)')
    .option('--from <position>', 'where to start: trim-horizon (default), latest, a sequence number, an ISO time, or a duration like 15m')
    .option('--follow', 'keep going live after reaching the end of the stream')
    .option('--checkpoint <file>', 'resume after the last batch handled; saved after each successful batch')
    .option('--batch-size <n>', 'records per invocation, 1–10000', '100')
    .option('--batch-window <seconds>', 'wait up to this long to fill a batch, 0–300', '0')
    .option('--max-retries <n>', 'retries of a failing batch, -1 (forever) to 10000; Lambda\'s default is -1', '3')
    .option('--bisect-on-error', 'split a failing batch in two and retry the halves (splits use no retries)')
    .option('--max-record-age <seconds>', 'records older than this go to the failure file unprocessed: -1 (no limit), or 60–604800', '-1')
    .option('--report-batch-item-failures', 'honour {batchItemFailures:[{itemIdentifier}]} responses: retry from the lowest failed record')
    .option('--parallelization-factor <n>', 'batches of one shard in flight at once, 1–10 (an item\'s records stay in order)', '1')
    .option('--filter <pattern>', 'Lambda filter pattern JSON; records matching none are skipped (repeatable, up to 5)', collect)
    .option('--timeout <seconds>', 'function timeout: the handler is stopped after this long, 1–900', '60')
    .option('--on-failure <file>', 'append batches given up on as NDJSON (Lambda\'s on-failure record plus the records)');
  addAwsOptions(command)
    .addHelpText('after', `
The handler runs in its own Node.js process, warm between batches like a Lambda execution
environment, as your own code with your own credentials and environment. A crash,
process.exit, or a run past --timeout fails that batch; a fresh process takes the next one.
Its console output appears on stderr, prefixed with the function name.

Exit codes: 0 every record handled or filtered; 1 some records failed (they are in the
--on-failure file, or dropped without one); 2 usage error (options, handler that does not load).

Examples:
  ddbstream replay Orders --handler ./handler.mjs
  ddbstream replay Orders --handler src/index.handler --batch-size 10 --bisect-on-error \\
      --max-retries 2 --on-failure failures.ndjson
  ddbstream replay --input failures.ndjson --handler ./handler.ts
  ddbstream export Orders --raw > orders.ndjson && ddbstream replay --input orders.ndjson --handler ./handler.ts
  ddbstream replay Orders --handler ./handler.mjs --follow --checkpoint orders.checkpoint \\
      --report-batch-item-failures --filter '{"eventName":["INSERT"]}'`)
    .action(async (stream: string | undefined, options: ReplayOptions) => {
      const { runReplay } = await import('../commands/replay.js');
      await runReplay(stream, options, context);
    });
}
