import { judgeBatchResponse } from './batch-response.js';
import type { BatchFailedEvent, InvokeOutcome } from './engine-types.js';
import type { MappingSettings } from './options.js';

/** How an attempt failed, in the terms of the `batch-failed` event. */
export type AttemptFailure = Pick<BatchFailedEvent, 'reason' | 'error' | 'crash' | 'detail' | 'succeeded'>;

/** What the decision needs of the batch an attempt carried. */
export interface AttemptedBatch {
  /** The records' sequence numbers, in order: a partial-failure report names them. */
  sequences: readonly string[];
  /** Retries already spent on these records. */
  retries: number;
}

export type RetrySettings = Pick<MappingSettings, 'maxRetries' | 'bisectOnError' | 'reportBatchItemFailures'>;

export type NextStep =
  /** Every record of the batch is handled. */
  | { kind: 'done' }
  /** Run the records before `at`, then those from `at` on, as two batches; no retry is spent. */
  | { kind: 'split'; at: number; failure: AttemptFailure }
  /**
   * Records before `from` are handled (the checkpoint may pass them); the others run again,
   * having now spent `retries` retries.
   */
  | { kind: 'retry'; from: number; retries: number; failure: AttemptFailure }
  /** Records before `from` are handled; the others go to the failure destination. */
  | { kind: 'give-up'; from: number; retries: number; failure: AttemptFailure };

/**
 * What Lambda's event source mapping does after one invocation of a batch:
 * - without ReportBatchItemFailures any response is success; with it, the response is judged
 *   (`judgeBatchResponse`): the lowest failed sequence number is where the retry starts, and
 *   what comes before it is done;
 * - a function error with BisectBatchOnFunctionError splits a batch of two or more records in
 *   two, and the halves keep the retries already spent: splitting alone isolates a poison record;
 * - every other failed attempt spends a retry; past MaximumRetryAttempts (-1: no limit) the
 *   records go to the failure destination. Attempts that never reach the function (throttling,
 *   service errors) would not count, but a local replay has none.
 */
export function nextStep(outcome: InvokeOutcome, batch: AttemptedBatch, settings: RetrySettings): NextStep {
  let from = 0;
  let failure: AttemptFailure;
  if (outcome.ok) {
    if (!settings.reportBatchItemFailures) return { kind: 'done' };
    const verdict = judgeBatchResponse(outcome.response, batch.sequences);
    if (verdict.kind === 'success') return { kind: 'done' };
    if (verdict.kind === 'partial') {
      from = verdict.index;
      failure = { reason: 'partial', succeeded: verdict.index };
    } else {
      failure = { reason: 'invalid-response', detail: verdict.reason };
    }
  } else {
    failure = { reason: 'function-error', error: outcome.error, ...(outcome.crash ? { crash: outcome.crash } : {}) };
    if (settings.bisectOnError && batch.sequences.length > 1) {
      return { kind: 'split', at: Math.ceil(batch.sequences.length / 2), failure };
    }
  }
  const retries = batch.retries + 1;
  const exhausted = settings.maxRetries >= 0 && retries > settings.maxRetries;
  return { kind: exhausted ? 'give-up' : 'retry', from, retries, failure };
}

/**
 * Which records are past MaximumRecordAge at `now` (-1: none ever are). Lambda sends them to the
 * failure destination instead of the function; the check comes before every attempt, so records
 * can also age out while their batch is being retried.
 */
export function pastMaxRecordAge(recordTimesMs: readonly number[], now: number, maxRecordAgeMs: number): boolean[] {
  return recordTimesMs.map((time) => maxRecordAgeMs >= 0 && now - time > maxRecordAgeMs);
}

/** Retry 1 at once, then 100 ms doubling to 5 s: a poison record with -1 retries does not spin. */
export function defaultRetryDelay(retry: number): number {
  return retry <= 1 ? 0 : Math.min(5000, 100 * 2 ** (retry - 2));
}
