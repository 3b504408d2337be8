import { asLeaseFailure, type LeaseFailure } from '../lease/errors.js';

/** The one line a user reads for an error of the lease room, or undefined for any other error. */
export function describeLeaseError(error: unknown): string | undefined {
  const failure = asLeaseFailure(error);
  return failure && describeFailure(failure);
}

function describeFailure(failure: LeaseFailure): string {
  switch (failure.name) {
    case 'LeaseTableCreateError':
      return `lease table "${failure.table}" does not exist and could not be created (${failure.reason}). Grant dynamodb:CreateTable, or create it yourself (hash key leaseKey, type S, on-demand) and run again.`;
    case 'LeaseTableMissingError':
      return `lease table "${failure.table}" not found. A consumer group creates it on first use (\`export --group NAME\`); check the name, --region and --endpoint-url.`;
    case 'NotALeaseTableError':
      return `"${failure.table}" is not a lease table (${failure.detail}). Pass the lease table of a group (--lease-table), or a group name that no other table uses.`;
    case 'LeaseOfUnknownShardError': {
      const whose = failure.leaseStream ? `stream ${failure.leaseStream}` : 'a stream other than this one';
      return `lease table "${failure.table}" belongs to ${whose}: it holds a lease of shard ${failure.shardId}, which ${failure.streamArn} does not have. Use another --group or --lease-table for this stream.`;
    }
  }
}
