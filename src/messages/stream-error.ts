import { asStreamFailure, type CheckpointProblem, type StreamFailure } from '../stream/errors.js';
import { describeTrimmedPoint } from '../stream/trim-point.js';
import type { RetryKind } from '../stream/types.js';

/**
 * The one line a user reads for an error of the stream layer: what happened and what to do.
 * Undefined for any other error.
 */
export function describeStreamError(error: unknown): string | undefined {
  const failure = asStreamFailure(error);
  return failure && describeFailure(failure);
}

function describeFailure(failure: StreamFailure): string {
  switch (failure.name) {
    case 'StreamGoneError':
      return `the stream is gone (${failure.streamArn}): the table was deleted or its stream disabled and expired. Run \`ddbstream streams\` to see what exists.`;
    case 'StreamDisabledError':
      return `the stream is disabled (${failure.streamArn}): every record it holds has been read and no more will come. Run \`ddbstream streams --table ${failure.table}\` to find the table's current stream.`;
    case 'TrimmedPositionError': {
      const what = failure.point.kind === 'shard-gone'
        ? 'aged out of the stream (24 h) before they were read'
        : 'is older than the stream keeps (24 h) and has been trimmed';
      return `shard ${failure.shardId}: ${describeTrimmedPoint(failure.point)} ${what}. Rerun with --on-trimmed skip to continue from the oldest record still there (the records in between are lost).`;
    }
    case 'SequenceNotInStreamError':
      return `no shard of the stream of ${failure.table} holds sequence number ${failure.sequenceNumber}. ` +
        `Run \`ddbstream shards ${failure.table}\` to see each shard's sequence range, or start at --from trim-horizon or latest.`;
    case 'GaveUpRetryingError':
      return giveUpAdvice(failure.failure, failure.afterMs);
    case 'TableNotFoundError': {
      const where = 'endpoint' in failure.where ? failure.where.endpoint : `region ${failure.where.region ?? '(default)'}`;
      return `table "${failure.table}" not found at ${where}. Check the name, --region and --profile (\`ddbstream streams\` lists what exists).`;
    }
    case 'TableHasNoStreamError':
      return `table "${failure.table}" has no stream. Enable one with: aws dynamodb update-table --table-name ${failure.table} --stream-specification StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES`;
    case 'CheckpointFileError':
      return checkpointAdvice(failure.path, failure.problem);
  }
}

function giveUpAdvice(kind: RetryKind, afterMs: number): string {
  // Whole seconds, unless the give-up time was tuned below ten (1.5s, not 2s).
  const seconds = afterMs >= 10_000 ? Math.round(afterMs / 1000) : Math.round(afterMs / 100) / 10;
  switch (kind) {
    case 'unreachable':
      return `the endpoint stopped answering and did not come back within ${seconds}s. Check the endpoint or network, then rerun (with --checkpoint to resume where this run stopped).`;
    case 'throttled':
      return `still throttled after ${seconds}s of backoff. Lower --concurrency, or stop other readers of this stream (at most 2 per shard), then rerun.`;
    case 'server-error':
      return `the service kept failing for ${seconds}s. Rerun later (with --checkpoint to resume).`;
  }
}

function checkpointAdvice(path: string, problem: CheckpointProblem): string {
  switch (problem.kind) {
    case 'unreadable':
      return `cannot read checkpoint ${path}: ${problem.detail}`;
    case 'unwritable-folder':
      return `cannot write checkpoint ${path}: ${problem.detail}. Does the folder exist?`;
    case 'corrupt':
      return `checkpoint ${path} is corrupt or truncated (${problem.detail}). Restore it, or move it away to start from the beginning.`;
    case 'not-a-checkpoint':
      return `${path} is not a ddbstream checkpoint. Pass another --checkpoint file, or move this one away.`;
    case 'other-stream':
      return `checkpoint ${path} belongs to another stream (${problem.savedFor}), not ${problem.wanted}. Use a different --checkpoint file for this stream.`;
    case 'invalid-sequence-number':
      return `checkpoint ${path}: shard ${problem.shardId} has an invalid sequence number. Restore the file, or move it away.`;
    case 'save-failed':
      return `cannot save checkpoint ${path}: ${problem.detail}`;
  }
}
