import type { StreamsOptions } from './options.js';
import type { CommandContext } from '../../io/command-context.js';
import { openClients } from '../../aws/open-clients.js';
import { describeStreamSummary, listAllStreams } from '../../stream/describe.js';
import { renderStreams, type StreamRow } from '../../render/streams.js';

export async function runStreams(options: StreamsOptions, context: CommandContext): Promise<void> {
  const clients = openClients(options, context.env);
  try {
    const streams = await listAllStreams(clients.streams, options.table, context.signal);
    // ListStreams carries no status or view type: describe each, one page of one shard.
    const rows: StreamRow[] = [];
    for (const stream of streams) {
      if (!stream.StreamArn) continue;
      // A stream deleted since the listing still gets its row, with no status.
      const description = await describeStreamSummary(clients.streams, stream.StreamArn, context.signal).catch(() => undefined);
      rows.push({
        table: stream.TableName ?? '',
        streamArn: stream.StreamArn,
        label: stream.StreamLabel ?? '',
        status: description?.StreamStatus ?? '',
        viewType: description?.StreamViewType ?? '',
      });
    }
    const format = options.json ? 'json' : context.stdout.isTTY ? 'table' : 'tsv';
    const lines = renderStreams(rows, format);
    if (lines.length) context.stdout.write(lines.join('\n') + '\n');
    if (rows.length === 0) {
      const scope = options.table ? `for table "${options.table}"` : 'in this region';
      let hint = `no streams ${scope}.`;
      if (clients.config.local) {
        hint += ' DynamoDB Local keeps a separate database per access key and region unless started with -sharedDb: use the same credentials and --region as the program that created the tables.';
      } else {
        hint += ' Check --region and --profile.';
      }
      context.stderr.write(`ddbstream: ${hint}\n`);
    }
  } finally {
    clients.destroy();
  }
}
