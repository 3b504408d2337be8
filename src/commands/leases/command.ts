import type { Command } from 'commander';
import type { CommandContext } from '../../io/command-context.js';
import { addAwsOptions } from '../../options/aws-options.js';
import { type LeasesOptions } from './options.js';

export function registerLeasesCommand(program: Command, context: CommandContext): void {
  const command = program
    .command('leases')
    .argument('<table>', 'the lease table of a consumer group (by default, the group name); a KCL application\'s table works too')
    .description('show a consumer group\'s leases: shard, parent, owner, counter, checkpoint, state')
    .option('--json', 'one JSON object per lease, with KCL\'s attribute names and its state')
    .option('--lease-duration <seconds>', 'a held lease not renewed for this long shows as expired (default 10)');
  addAwsOptions(command)
    .addHelpText('after', `
States: held (an owner renews it), expired (its owner stopped renewing: another worker will
take it), finished (read to SHARD_END), free (no owner). Leases written by KCL applications
carry no renewal time, so they show as held while they have an owner.

Examples:
  ddbstream leases orders-archive
  ddbstream leases MyKclApplication --json | jq -r 'select(.state=="held") | .leaseOwner'`)
    .action(async (table: string, options: LeasesOptions) => {
      const { runLeases } = await import('./run.js');
      await runLeases(table, options, context);
    });
}
