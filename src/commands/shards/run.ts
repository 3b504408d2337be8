import type { ShardsOptions } from './options.js';
import type { CommandContext } from '../../io/command-context.js';
import { openClients } from '../../aws/open-clients.js';
import { parseStreamRef } from '../../aws/stream-ref.js';
import { resolveStream } from '../../stream/resolve-stream.js';
import { describeWholeStream } from '../../stream/describe.js';
import { buildShardTree } from '../../stream/shard-tree.js';
import { renderShards } from '../../render/shards.js';

export async function runShards(stream: string, options: ShardsOptions, context: CommandContext): Promise<void> {
  const ref = parseStreamRef(stream);
  const clients = openClients(options, context.env, ref.kind === 'arn' ? ref.region : undefined);
  try {
    const resolved = await resolveStream(ref, clients, context.signal);
    const { description, shards } = await describeWholeStream(clients.streams, resolved.streamArn, context.signal);
    const tree = buildShardTree(shards);
    const format = options.json ? 'json' : context.stdout.isTTY ? 'table' : 'tsv';
    if (format === 'table') {
      context.stdout.write(
        `${resolved.table}  ${description.StreamStatus ?? ''}  ${description.StreamViewType ?? ''}\n${resolved.streamArn}\n\n`,
      );
    }
    context.stdout.write(renderShards(tree, format, new Date()).join('\n') + '\n');
  } finally {
    clients.destroy();
  }
}
