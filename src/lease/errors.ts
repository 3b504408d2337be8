import type { ExitCodeCarrier } from '../util/errors.js';

/**
 * The errors of the lease room. Like the stream layer's, they carry facts and whether the user
 * can fix it (exit 2) or the run failed (exit 1); `messages/lease-error.ts` words them.
 */
abstract class LeaseLayerError extends Error implements ExitCodeCarrier {
  abstract readonly exitCode: 1 | 2;
}

/** The lease table does not exist and could not be created (no permission, most often). */
export class LeaseTableCreateError extends LeaseLayerError {
  override readonly name = 'LeaseTableCreateError';
  readonly exitCode = 1;
  constructor(readonly table: string, readonly reason: string, options?: { cause?: unknown }) {
    super(`cannot create lease table ${table}: ${reason}`, options);
  }
}

/** `ddbstream leases TABLE` of a table that is not there. */
export class LeaseTableMissingError extends LeaseLayerError {
  override readonly name = 'LeaseTableMissingError';
  readonly exitCode = 1;
  constructor(readonly table: string) {
    super(`lease table ${table} not found`);
  }
}

/** The table exists but is not a lease table: another key, or items that are not leases. */
export class NotALeaseTableError extends LeaseLayerError {
  override readonly name = 'NotALeaseTableError';
  readonly exitCode = 2;
  constructor(readonly table: string, readonly detail: string) {
    super(`${table} is not a lease table: ${detail}`);
  }
}

/** An unfinished lease names a shard the stream does not have: the table is another stream's. */
export class LeaseOfUnknownShardError extends LeaseLayerError {
  override readonly name = 'LeaseOfUnknownShardError';
  readonly exitCode = 2;
  constructor(readonly table: string, readonly shardId: string, readonly streamArn: string, readonly leaseStream?: string) {
    super(`lease table ${table} holds a lease of shard ${shardId}, not a shard of ${streamArn}`);
  }
}

export type LeaseFailure = LeaseTableCreateError | LeaseTableMissingError | NotALeaseTableError | LeaseOfUnknownShardError;

export function asLeaseFailure(error: unknown): LeaseFailure | undefined {
  return error instanceof LeaseLayerError ? (error as LeaseFailure) : undefined;
}
