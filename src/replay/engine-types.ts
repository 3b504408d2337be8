import type { LambdaStreamRecord } from '../records/lambda-record.js';
import type { FailureCondition, FailureLine } from './failure-record.js';
import type { FunctionErrorBody } from './worker-protocol.js';

/** One page of one shard's records, in the form the handler will see them. */
export interface ReplayPage {
  shardId: string;
  records: LambdaStreamRecord[];
  /** The shard is closed and these are its last records. */
  end: boolean;
  /** The reader has reached the shard's tip with this page. */
  caughtUp?: boolean;
  /**
   * The last sequence number the page accounts for, including records the source dropped (a
   * time start, filters applied upstream): the checkpoint may move here once `records` are done.
   */
  through?: string;
  /** Records the source dropped from this page; counted as filtered. */
  skipped?: number;
}

export interface Invocation {
  requestId: string;
  shardId: string;
  /** The records' stream (for the function ARN in the context). */
  streamArn: string;
  /** The event as JSON, built from records serialized once when they arrived. */
  payload: string;
  /** The event as objects (parsed from `payload` on each read). */
  readonly event: { Records: LambdaStreamRecord[] };
}

/** Why the handler's process went away during an invocation (a fresh one takes the next). */
export type WorkerCrash = 'timeout' | 'exit' | 'uncaught' | 'rejection' | 'load' | 'memory';

export type InvokeOutcome =
  | { ok: true; response: unknown }
  | { ok: false; error: FunctionErrorBody; crash?: WorkerCrash };

export type Invoker = (invocation: Invocation) => Promise<InvokeOutcome>;

/** What the engine needs of a checkpoint store (the stream's CheckpointStore fits). */
export interface CheckpointSink {
  /** Every record of the shard up to and including this one is handled. */
  advance(shardId: string, sequenceNumber: string): void;
  finish(shardId: string): void;
  save(): Promise<void>;
}

export type RecordFilter = (record: LambdaStreamRecord) => boolean;

export interface BatchFailedEvent {
  type: 'batch-failed';
  shardId: string;
  records: number;
  firstSequence: string;
  lastSequence: string;
  /** A function error, a partial failure report, or a report Lambda would reject. */
  reason: 'function-error' | 'partial' | 'invalid-response';
  error?: FunctionErrorBody;
  crash?: WorkerCrash;
  detail?: string;
  /** Records of the batch the handler reported done (partial failures). */
  succeeded?: number;
  /** A tumbling window's final invocation failed (it carries no records): its window. */
  finalInvoke?: { start: string; end: string };
  /** Retries used so far on these records, and the limit (-1: forever). */
  retries: number;
  maxRetries: number;
  next: 'retry' | 'bisect' | 'give-up';
}

export type EngineEvent =
  | BatchFailedEvent
  | {
    type: 'discarded';
    condition: FailureCondition;
    shardId: string;
    records: number;
    firstSequence: string;
    lastSequence: string;
    /** Invocations that carried these records. */
    attempts: number;
    /** The last function error, when the last attempt threw. */
    error?: FunctionErrorBody;
  }
  | { type: 'shard-end'; shardId: string };

export interface EngineStats {
  /** Records read from the source. */
  received: number;
  /** Records skipped by the filters. */
  filtered: number;
  /** Records the handler processed successfully. */
  succeeded: number;
  invocations: number;
  functionErrors: number;
  retries: number;
  bisects: number;
  /** Records given up on (retries or age ran out), and in how many batches. */
  failedRecords: number;
  failedBatches: number;
  /** ApproximateCreationDateTime (ms) of the newest record handled, for lag. */
  lastRecordTime?: number;
  /** Every shard read so far reported reaching its tip, and nothing is waiting. */
  caughtUp: boolean;
}

export type FailureSink = (line: FailureLine) => Promise<void>;
