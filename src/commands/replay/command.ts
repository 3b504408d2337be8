import { Option, type Command } from 'commander';
import type { CommandContext } from '../../io/command-context.js';
import { MAPPING_DEFAULTS } from '../../replay/options.js';
import { addAwsOptions } from '../../options/aws-options.js';
import { addReadingOptions } from '../../options/reading-options.js';
import { addGroupOptions } from '../../options/group-options.js';
import { addScanOptions, checkScanStart } from '../../options/scan-options.js';
import { type ReplayOptions } from './options.js';

/** Shown in --help without JSON quotes; parsed with the rest of the mapping settings. */
const withDefault = (flags: string, description: string, value: number): Option =>
  new Option(flags, description).default(String(value), String(value));

export function registerReplayCommand(program: Command, context: CommandContext): void {
  const command = program
    .command('replay')
    .argument('[stream...]', 'table names or stream ARNs, one event source mapping each (not with --input)')
    .description('feed stream records to a local Lambda handler with the event source mapping\'s semantics')
    .option('--handler <handler>', 'handler module: ./handler.mjs, ./handler.cjs, ./handler.ts, or Lambda\'s form src/index.handler (required unless --print-esm)')
    .option('--handler-export <name>', 'the export to call (default: handler, else the default export)')
    .option('--input <file>', 'replay a file instead of a stream: `export --raw` lines or an --on-failure file (no AWS calls)')
    .option('--follow', 'keep going live after reaching the end of the stream')
    .option('--watch', 'reload the handler when it (or a file next to it) changes; the next batch runs the new code')
    .addOption(withDefault('--batch-size <n>', 'records per invocation, 1–10000', MAPPING_DEFAULTS.batchSize))
    .addOption(withDefault('--batch-window <seconds>', 'wait up to this long to fill a batch, 0–300', MAPPING_DEFAULTS.batchWindow))
    .addOption(withDefault('--max-retries <n>', 'retries of a failing batch, -1 (forever) to 10000; Lambda\'s default is -1', MAPPING_DEFAULTS.maxRetries))
    .option('--bisect-on-error', 'split a failing batch in two and retry the halves (splits use no retries)')
    .addOption(withDefault('--max-record-age <seconds>', 'records older than this go to the failure file unprocessed: -1 (no limit), or 60–604800', MAPPING_DEFAULTS.maxRecordAge))
    .option('--report-batch-item-failures', 'honour {batchItemFailures:[{itemIdentifier}]} responses: retry from the lowest failed record')
    .addOption(withDefault('--parallelization-factor <n>', 'batches of one shard in flight at once, 1–10 (an item\'s records stay in order)', MAPPING_DEFAULTS.parallelizationFactor))
    .addOption(withDefault('--timeout <seconds>', 'function timeout: the handler is stopped after this long, 1–900', MAPPING_DEFAULTS.timeout))
    .option('--on-failure <file>', 'append batches given up on as NDJSON (Lambda\'s on-failure record plus the records)')
    .option('--tumbling-window <seconds>', 'tumbling windows of this many seconds, 1–900: the handler gets window, state and isFinalInvokeForWindow and returns {state}')
    .option('--event-shape <shape>', 'lambda ({"Records": [...]}, the default) or pipes (a JSON array, as an EventBridge Pipe sends it)')
    .addOption(withDefault('--memory <mb>', 'the function\'s memory, 128–10240 MB: the handler\'s V8 heap limit and context.memoryLimitInMB', MAPPING_DEFAULTS.memory))
    .option('--function-name <name>', 'the Lambda function\'s name, for the context, ARNs and --print-esm (default: the handler file\'s name)')
    .option('--esm <file>', 'take the settings of an event source mapping (aws lambda get-event-source-mapping output, or --print-esm output); options given here override it')
    .option('--print-esm [format]', 'print the event source mapping for these settings (json, the default, or cloudformation) and exit without reading records')
    .option('--stats', 'at the end, print one JSON object on stderr: records per shard and per event name, the largest lag seen');
  addReadingOptions(command, { from: 'trim-horizon' });
  addGroupOptions(command);
  addScanOptions(command);
  addAwsOptions(command)
    .addHelpText('after', `
The handler runs in its own Node.js process, warm between batches like a Lambda execution
environment, as your own code with your own credentials and environment. A crash,
process.exit, or a run past --timeout fails that batch; a fresh process takes the next one.
Its console output appears on stderr, prefixed with the function name. Records that match
no --event/--key/--filter are skipped and counted, as Lambda's event filtering does; the
checkpoint (saved after each successful batch) moves past them.

Exit codes: 0 every record handled or filtered; 1 some records failed (they are in the
--on-failure file, or dropped without one) or held values ddbstream cannot decode (the handler
got them as sent); 2 usage error (options, handler that does not load).

Examples:
  ddbstream replay Orders --handler ./handler.mjs
  ddbstream replay Orders --handler src/index.handler --batch-size 10 --bisect-on-error \\
      --max-retries 2 --on-failure failures.ndjson
  ddbstream replay --input failures.ndjson --handler ./handler.ts
  ddbstream replay Orders --handler ./handler.ts --follow --watch
  ddbstream export Orders --raw > orders.ndjson && ddbstream replay --input orders.ndjson --handler ./handler.ts
  ddbstream replay Orders --handler ./handler.mjs --follow --checkpoint orders.checkpoint \\
      --report-batch-item-failures --filter '{"eventName":["INSERT"]}'
  ddbstream replay Orders --batch-size 10 --function-name orders-fn --print-esm > esm.json
  ddbstream replay --esm esm.json --handler ./handler.ts
  ddbstream replay Orders --handler ./handler.mjs --follow --group orders-handler   # on each machine
  ddbstream replay Orders Users --handler ./handler.mjs --checkpoint both.cp   # one mapping per stream`)
    .action(async (streams: string[], options: ReplayOptions, self: Command) => {
      checkScanStart(self);
      // Options the user gave (not defaults): stream-only ones are refused with --input, and
      // every one of them overrides an --esm file.
      const given = self.options
        .map((option) => option.attributeName())
        .filter((name) => {
          const source = self.getOptionValueSource(name);
          return source !== undefined && source !== 'default';
        });
      const { runReplay } = await import('./run.js');
      await runReplay(streams.length === 1 ? streams[0]! : streams, options, context, given);
    });
}
