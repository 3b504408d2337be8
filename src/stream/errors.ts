import type { ExitCodeCarrier } from '../util/errors.js';
import type { TrimmedPoint } from './trim-point.js';
import type { RetryKind } from './types.js';

/**
 * The errors the stream layer raises. Each carries the facts as fields and whether the user can
 * fix it (exit 2) or the run failed (exit 1); `messages/stream-error.ts` words them for people.
 * The `message` here is a short statement of fact for --debug output, never advice.
 */
abstract class StreamLayerError extends Error implements ExitCodeCarrier {
  abstract readonly exitCode: 1 | 2;
}

/** DescribeStream or a shard call said ResourceNotFoundException about the stream itself. */
export class StreamGoneError extends StreamLayerError {
  override readonly name = 'StreamGoneError';
  readonly exitCode = 1;
  constructor(readonly streamArn: string, options?: { cause?: unknown }) {
    super(`stream ${streamArn} not found`, options);
  }
}

/** Following a disabled stream after its last record: nothing more will ever come. */
export class StreamDisabledError extends StreamLayerError {
  override readonly name = 'StreamDisabledError';
  readonly exitCode = 1;
  constructor(readonly streamArn: string, readonly table: string) {
    super(`stream ${streamArn} is disabled and read to its end`);
  }
}

/** Records a shard was to be read from are past the retention, and --on-trimmed says fail. */
export class TrimmedPositionError extends StreamLayerError {
  override readonly name = 'TrimmedPositionError';
  readonly exitCode = 1;
  constructor(readonly shardId: string, readonly point: TrimmedPoint, options?: { cause?: unknown }) {
    super(`shard ${shardId}: records trimmed (${point.kind})`, options);
  }
}

/** A sequence-number start that no shard of the stream holds (checked before reading). */
export class SequenceNotInStreamError extends StreamLayerError {
  override readonly name = 'SequenceNotInStreamError';
  readonly exitCode = 2;
  constructor(readonly streamArn: string, readonly table: string, readonly sequenceNumber: string) {
    super(`no shard of ${streamArn} holds sequence number ${sequenceNumber}`);
  }
}

/** Throttling, 5xx answers or a lost connection lasted past the retry policy's give-up time. */
export class GaveUpRetryingError extends StreamLayerError {
  override readonly name = 'GaveUpRetryingError';
  readonly exitCode = 1;
  constructor(readonly failure: RetryKind, readonly afterMs: number, options?: { cause?: unknown }) {
    super(`gave up after ${afterMs} ms: ${failure}`, options);
  }
}

/** DescribeTable found no table of that name where the clients point. */
export class TableNotFoundError extends StreamLayerError {
  override readonly name = 'TableNotFoundError';
  readonly exitCode = 1;
  constructor(
    readonly table: string,
    readonly where: { endpoint: string } | { region: string | undefined },
    options?: { cause?: unknown },
  ) {
    super(`table ${table} not found`, options);
  }
}

/** The table exists but has no stream enabled. */
export class TableHasNoStreamError extends StreamLayerError {
  override readonly name = 'TableHasNoStreamError';
  readonly exitCode = 1;
  constructor(readonly table: string) {
    super(`table ${table} has no stream`);
  }
}

/** What is wrong with a checkpoint file. `detail` is what the file system or JSON parser said. */
export type CheckpointProblem =
  | { kind: 'unreadable'; detail: string }
  | { kind: 'unwritable-folder'; detail: string }
  | { kind: 'corrupt'; detail: string }
  | { kind: 'not-a-checkpoint' }
  | { kind: 'other-stream'; savedFor: string; wanted: string }
  | { kind: 'invalid-sequence-number'; shardId: string }
  | { kind: 'save-failed'; detail: string };

/**
 * A checkpoint the user named that cannot be used: a usage problem (exit 2), except a save that
 * fails mid-run, which is the run's (exit 1).
 */
export class CheckpointFileError extends StreamLayerError {
  override readonly name = 'CheckpointFileError';
  constructor(readonly path: string, readonly problem: CheckpointProblem, options?: { cause?: unknown }) {
    super(`checkpoint ${path}: ${problem.kind}`, options);
  }

  get exitCode(): 1 | 2 {
    return this.problem.kind === 'save-failed' ? 1 : 2;
  }
}

/** Every error the stream layer raises; `name` tells them apart. */
export type StreamFailure =
  | StreamGoneError
  | StreamDisabledError
  | TrimmedPositionError
  | SequenceNotInStreamError
  | GaveUpRetryingError
  | TableNotFoundError
  | TableHasNoStreamError
  | CheckpointFileError;

/** The error as one of the stream layer's own, or undefined for anything else. */
export function asStreamFailure(error: unknown): StreamFailure | undefined {
  // Every subclass of the (unexported) base is listed in StreamFailure.
  return error instanceof StreamLayerError ? (error as StreamFailure) : undefined;
}
