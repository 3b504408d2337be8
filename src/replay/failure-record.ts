import type { LambdaStreamRecord } from '../records/lambda-record.js';
import type { FunctionErrorBody } from './worker-protocol.js';

export type FailureCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

/**
 * One line of the `--on-failure` file: the invocation record Lambda sends to an on-failure
 * destination for a DynamoDB stream, plus the records themselves (Lambda sends only their
 * position) so that the file can be replayed with `--input`, plus the last function error.
 */
export interface FailureLine {
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: FailureCondition;
    approximateInvokeCount: number;
  };
  /** Absent when the records were never sent to the function (they aged out first). */
  responseContext?: {
    statusCode: number;
    executedVersion: string;
    /** Absent when the function answered but reported the records failed (batchItemFailures). */
    functionError?: 'Unhandled';
  };
  version: '1.0';
  timestamp: string;
  DDBStreamBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
  records: LambdaStreamRecord[];
  error?: { errorType: string; errorMessage: string };
}

export interface FailureDetails {
  condition: FailureCondition;
  requestId: string;
  functionArn: string;
  invokeCount: number;
  shardId: string;
  records: LambdaStreamRecord[];
  /** How the last invocation ended; undefined when there was none. */
  lastOutcome?: { functionError: boolean; error?: FunctionErrorBody };
  now: number;
}

/** Lambda writes arrival times to the second: `2019-11-14T00:13:19Z`. */
function arrival(record: LambdaStreamRecord): string {
  return new Date(record.dynamodb.ApproximateCreationDateTime * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function buildFailureLine(details: FailureDetails): FailureLine {
  const { records, lastOutcome } = details;
  const first = records[0]!;
  const last = records[records.length - 1]!;
  return {
    requestContext: {
      requestId: details.requestId,
      functionArn: details.functionArn,
      condition: details.condition,
      approximateInvokeCount: details.invokeCount,
    },
    ...(lastOutcome ? {
      responseContext: {
        statusCode: 200,
        executedVersion: '$LATEST',
        ...(lastOutcome.functionError ? { functionError: 'Unhandled' as const } : {}),
      },
    } : {}),
    version: '1.0',
    timestamp: new Date(details.now).toISOString(),
    DDBStreamBatchInfo: {
      shardId: details.shardId,
      startSequenceNumber: first.dynamodb.SequenceNumber,
      endSequenceNumber: last.dynamodb.SequenceNumber,
      approximateArrivalOfFirstRecord: arrival(first),
      approximateArrivalOfLastRecord: arrival(last),
      batchSize: records.length,
      streamArn: first.eventSourceARN,
    },
    records,
    ...(lastOutcome?.error ? { error: { errorType: lastOutcome.error.errorType, errorMessage: lastOutcome.error.errorMessage } } : {}),
  };
}

/** `arn:aws:lambda:REGION:ACCOUNT:function:NAME`, in the stream's region and account. */
export function functionArnFor(functionName: string, streamArn: string): string {
  const match = /^arn:([^:]+):dynamodb:([^:]*):([^:]*):/.exec(streamArn);
  const partition = match?.[1] ?? 'aws';
  const region = match?.[2] || 'us-east-1';
  const account = match?.[3] || '000000000000';
  return `arn:${partition}:lambda:${region}:${account}:function:${functionName}`;
}
