import type { Command } from 'commander';
import type { CommandContext } from '../../io/command-context.js';
import { addAwsOptions } from '../../options/aws-options.js';
import { addReadingOptions } from '../../options/reading-options.js';
import { addGroupOptions } from '../../options/group-options.js';
import { addScanOptions, checkScanStart } from '../../options/scan-options.js';
import { type ExportOptions } from './options.js';

export function registerExportCommand(program: Command, context: CommandContext): void {
  const command = program
    .command('export')
    .argument('<stream...>', 'table names or stream ARNs (several are read at once)')
    .description('write records as NDJSON, from TRIM_HORIZON to the current end of the stream (or --follow)')
    .option('-o, --output <file>', 'write to FILE instead of stdout')
    .option('--raw', 'write each record exactly as a Lambda function receives it (a fixture for `replay --input`)')
    .option('--diff', 'add a "diff" array (path, op, from, to) of old → new image to each line (null when the stream lacks an image)')
    .option('--follow', 'keep reading live after reaching the end')
    .option('-q, --quiet', 'no progress on stderr')
    .option('--stats', 'at the end, print one JSON object on stderr: records per shard and per event name, the largest lag seen');
  addReadingOptions(command);
  addGroupOptions(command);
  addScanOptions(command);
  addAwsOptions(command)
    .addHelpText('after', `
Each line is one JSON object: table, streamArn, shardId, sequenceNumber, eventId, eventName, time,
keys, oldImage, newImage, userIdentity (TTL deletes), sizeBytes. Numbers keep every digit
DynamoDB sent, sets become arrays, binary becomes base64, NULL becomes null.

Examples:
  ddbstream export Users > users.ndjson
  ddbstream export Users | jq -r 'select(.eventName=="MODIFY") | .newImage.email'
  ddbstream export Users --from 2h --event REMOVE
  ddbstream export Users --raw -o fixture.ndjson          # replay later with: ddbstream replay --input fixture.ndjson
  ddbstream export Users -n 1000 --checkpoint users.cp    # run again to continue after the last record
  ddbstream export Users --group users-archive --follow   # run on several machines: they share the shards
  ddbstream export Users --scan --checkpoint users.cp     # the table's items, then the stream from there
  ddbstream export Users Orders --checkpoint both.cp      # two streams at once, one checkpoint file for both
  ddbstream export Users Orders --scan -o both.ndjson     # two tables backfilled at once`)
    .action(async (streams: string[], options: ExportOptions, self: Command) => {
      checkScanStart(self);
      const { runExport } = await import('./run.js');
      await runExport(streams.length === 1 ? streams[0]! : streams, options, context);
    });
}
