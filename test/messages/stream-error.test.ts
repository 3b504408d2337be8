import { describe, expect, it } from 'vitest';
import { describeError } from '../../src/messages/describe-error.js';
import { describeStreamError } from '../../src/messages/stream-error.js';
import {
  CheckpointFileError,
  GaveUpRetryingError,
  SequenceNotInStreamError,
  StreamDisabledError,
  StreamGoneError,
  TableHasNoStreamError,
  TableNotFoundError,
  TrimmedPositionError,
} from '../../src/stream/errors.js';
import { exitCodeOf, RuntimeError } from '../../src/util/errors.js';

const ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/T/stream/2024-05-01T00:00:00.000';
const SHARD = 'shardId-00000001714557600000-0a1b2c3d';
const RERUN = 'Rerun with --on-trimmed skip to continue from the oldest record still there (the records in between are lost).';

describe('describeStreamError', () => {
  it('says a stream is gone, and how to see what exists', () => {
    expect(describeStreamError(new StreamGoneError(ARN))).toBe(
      `the stream is gone (${ARN}): the table was deleted or its stream disabled and expired. Run \`ddbstream streams\` to see what exists.`,
    );
  });

  it('says no shard holds a sequence number, and how to see the shards\' ranges (exit 2)', () => {
    const error = new SequenceNotInStreamError(ARN, 'Users', '4000000000000000000012345678901234567');
    expect(describeStreamError(error)).toBe(
      'no shard of the stream of Users holds sequence number 4000000000000000000012345678901234567. ' +
        'Run `ddbstream shards Users` to see each shard\'s sequence range, or start at --from trim-horizon or latest.',
    );
    expect(exitCodeOf(error)).toBe(2);
  });

  it('says a disabled stream was read to its end, and how to find the current one', () => {
    expect(describeStreamError(new StreamDisabledError(ARN, 'Users'))).toBe(
      `the stream is disabled (${ARN}): every record it holds has been read and no more will come. Run \`ddbstream streams --table Users\` to find the table's current stream.`,
    );
  });

  it.each([
    [{ kind: 'sequence', position: { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '700' } }, 'sequence number 700 is older than the stream keeps (24 h) and has been trimmed'],
    [{ kind: 'sequence', position: { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: '700' } }, 'sequence number 700 is older than the stream keeps (24 h) and has been trimmed'],
    [{ kind: 'after-read', lastRead: '900', startedAt: { type: 'TRIM_HORIZON' } }, 'the position after 900 is older than the stream keeps (24 h) and has been trimmed'],
    [{ kind: 'after-read', lastRead: undefined, startedAt: { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '5' } }, 'the position after AFTER_SEQUENCE_NUMBER 5 is older than the stream keeps (24 h) and has been trimmed'],
    [{ kind: 'shard-gone', position: { type: 'TRIM_HORIZON' } }, 'the records from TRIM_HORIZON aged out of the stream (24 h) before they were read'],
  ] as const)('names the trimmed position %j and the way on', (point, what) => {
    expect(describeStreamError(new TrimmedPositionError(SHARD, point))).toBe(`shard ${SHARD}: ${what}. ${RERUN}`);
  });

  it.each([
    ['unreachable', 60_000, 'the endpoint stopped answering and did not come back within 60s. Check the endpoint or network, then rerun (with --checkpoint to resume where this run stopped).'],
    ['throttled', 60_000, 'still throttled after 60s of backoff. Lower --concurrency, or stop other readers of this stream (at most 2 per shard), then rerun.'],
    ['server-error', 60_000, 'the service kept failing for 60s. Rerun later (with --checkpoint to resume).'],
    // Below ten seconds the tenths count: 1.5s, not 2s.
    ['unreachable', 1_500, 'the endpoint stopped answering and did not come back within 1.5s. Check the endpoint or network, then rerun (with --checkpoint to resume where this run stopped).'],
    ['server-error', 12_400, 'the service kept failing for 12s. Rerun later (with --checkpoint to resume).'],
  ] as const)('gives up on %s after %i ms with advice for that failure', (failure, afterMs, line) => {
    expect(describeStreamError(new GaveUpRetryingError(failure, afterMs))).toBe(line);
  });

  it('says where a table was looked for, and that a table has no stream', () => {
    expect(describeStreamError(new TableNotFoundError('Users', { endpoint: 'http://localhost:8000' }))).toBe(
      'table "Users" not found at http://localhost:8000. Check the name, --region and --profile (`ddbstream streams` lists what exists).',
    );
    expect(describeStreamError(new TableNotFoundError('Users', { region: 'eu-west-1' }))).toContain('not found at region eu-west-1.');
    expect(describeStreamError(new TableNotFoundError('Users', { region: undefined }))).toContain('not found at region (default).');
    expect(describeStreamError(new TableHasNoStreamError('Users'))).toBe(
      'table "Users" has no stream. Enable one with: aws dynamodb update-table --table-name Users --stream-specification StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES',
    );
  });

  it.each([
    [{ kind: 'unreadable', detail: 'EISDIR: illegal operation on a directory, read' }, 'cannot read checkpoint cp.json: EISDIR: illegal operation on a directory, read'],
    [{ kind: 'unwritable-folder', detail: 'ENOENT' }, 'cannot write checkpoint cp.json: ENOENT. Does the folder exist?'],
    [{ kind: 'corrupt', detail: 'Unexpected end of JSON input' }, 'checkpoint cp.json is corrupt or truncated (Unexpected end of JSON input). Restore it, or move it away to start from the beginning.'],
    [{ kind: 'not-a-checkpoint' }, 'cp.json is not a ddbstream checkpoint. Pass another --checkpoint file, or move this one away.'],
    [{ kind: 'other-stream', savedFor: 'arn:other', wanted: ARN }, `checkpoint cp.json belongs to another stream (arn:other), not ${ARN}. Use a different --checkpoint file for this stream.`],
    [{ kind: 'invalid-sequence-number', shardId: 's-1' }, 'checkpoint cp.json: shard s-1 has an invalid sequence number. Restore the file, or move it away.'],
    [{ kind: 'save-failed', detail: 'ENOSPC: no space left on device' }, 'cannot save checkpoint cp.json: ENOSPC: no space left on device'],
  ] as const)('words the checkpoint problem %j', (problem, line) => {
    expect(describeStreamError(new CheckpointFileError('cp.json', problem))).toBe(line);
  });

  it('leaves other errors to others', () => {
    expect(describeStreamError(new RuntimeError('the stream is gone'))).toBeUndefined();
    expect(describeStreamError(new Error('boom'))).toBeUndefined();
    expect(describeStreamError('text')).toBeUndefined();
  });
});

describe('stream errors at the top', () => {
  it('reach the user as their one line, without the --debug hint', () => {
    expect(describeError(new TableHasNoStreamError('Users'), false)).toBe(
      'ddbstream: table "Users" has no stream. Enable one with: aws dynamodb update-table --table-name Users --stream-specification StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES',
    );
  });

  it('come before the AWS wording of the error they carry', () => {
    const notFound = Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } });
    expect(describeError(new StreamGoneError(ARN, { cause: notFound }), false)).toMatch(/^ddbstream: the stream is gone \(/);
  });

  it('show the facts and the service error under --debug', () => {
    const notFound = Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' });
    const lines = describeError(new StreamGoneError(ARN, { cause: notFound }), true);
    expect(lines).toContain(`StreamGoneError: stream ${ARN} not found`);
    expect(lines).toContain('ResourceNotFoundException: Requested resource not found');
  });

  it('exit 2 when the user can fix the input, 1 when the run failed', () => {
    expect(exitCodeOf(new CheckpointFileError('cp.json', { kind: 'corrupt', detail: 'x' }))).toBe(2);
    expect(exitCodeOf(new CheckpointFileError('cp.json', { kind: 'save-failed', detail: 'x' }))).toBe(1);
    expect(exitCodeOf(new TrimmedPositionError(SHARD, { kind: 'shard-gone', position: { type: 'LATEST' } }))).toBe(1);
    expect(exitCodeOf(new GaveUpRetryingError('throttled', 1_000))).toBe(1);
  });
});
