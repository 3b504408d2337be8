import { describe, expect, it } from 'vitest';
import type { InvokeOutcome } from '../../src/replay/engine-types.js';
import {
  defaultRetryDelay, nextStep, pastMaxRecordAge, type AttemptFailure, type NextStep, type RetrySettings,
} from '../../src/replay/next-step.js';

const SEQUENCES = ['4100', '4200', '4300', '4400', '4500'];
const DEFAULTS: RetrySettings = { maxRetries: 3, bisectOnError: false, reportBatchItemFailures: false };
const REPORT: Partial<RetrySettings> = { reportBatchItemFailures: true };
const BISECT: Partial<RetrySettings> = { bisectOnError: true };

const ok = (response: unknown): InvokeOutcome => ({ ok: true, response });
const thrown: InvokeOutcome = { ok: false, error: { errorType: 'TypeError', errorMessage: 'x is undefined' } };
const failures = (...ids: unknown[]) => ({ batchItemFailures: ids.map((itemIdentifier) => ({ itemIdentifier })) });
const functionError: AttemptFailure = { reason: 'function-error', error: { errorType: 'TypeError', errorMessage: 'x is undefined' } };
const invalid = (detail: string): AttemptFailure => ({ reason: 'invalid-response', detail });

interface Case {
  outcome: InvokeOutcome;
  /** Records in the batch (the first ones of SEQUENCES) and retries already spent on them. */
  records?: number;
  retries?: number;
  settings?: Partial<RetrySettings>;
  step: NextStep;
}

// Lambda's rules for DynamoDB event source mappings: the Lambda Developer Guide pages on
// batch item failures and on error handling for stream sources.
const CASES: Record<string, Case> = {
  'a response without ReportBatchItemFailures is success, whatever it says': {
    outcome: ok(failures('4200')), step: { kind: 'done' },
  },
  'an empty batchItemFailures list is success': {
    outcome: ok({ batchItemFailures: [] }), settings: REPORT, step: { kind: 'done' },
  },
  'a null batchItemFailures list is success': {
    outcome: ok({ batchItemFailures: null }), settings: REPORT, step: { kind: 'done' },
  },
  'a null response is success': { outcome: ok(null), settings: REPORT, step: { kind: 'done' } },
  'no response is success': { outcome: ok(undefined), settings: REPORT, step: { kind: 'done' } },
  'a response without the field is success': { outcome: ok({ statusCode: 200 }), settings: REPORT, step: { kind: 'done' } },
  'the lowest failed sequence number is where the retry starts; what comes before is done': {
    outcome: ok(failures('4400', '4200')), settings: REPORT,
    step: { kind: 'retry', from: 1, retries: 1, failure: { reason: 'partial', succeeded: 1 } },
  },
  'a reported failure of the first record retries all of them': {
    outcome: ok(failures('4100')), settings: REPORT,
    step: { kind: 'retry', from: 0, retries: 1, failure: { reason: 'partial', succeeded: 0 } },
  },
  'a reported failure spends a retry: at the limit its records go to the failure destination': {
    outcome: ok(failures('4300')), settings: { ...REPORT, maxRetries: 2 }, retries: 2,
    step: { kind: 'give-up', from: 2, retries: 3, failure: { reason: 'partial', succeeded: 2 } },
  },
  'an entry without itemIdentifier fails the whole batch': {
    outcome: ok({ batchItemFailures: [{}] }), settings: REPORT,
    step: { kind: 'retry', from: 0, retries: 1, failure: invalid('a batchItemFailures entry has no itemIdentifier') },
  },
  'an empty itemIdentifier fails the whole batch': {
    outcome: ok(failures('')), settings: REPORT,
    step: { kind: 'retry', from: 0, retries: 1, failure: invalid('a batchItemFailures entry has no itemIdentifier') },
  },
  'a misspelt key fails the whole batch': {
    outcome: ok({ batchItemFailures: [{ itemIdentifer: '4200' }] }), settings: REPORT,
    step: { kind: 'retry', from: 0, retries: 1, failure: invalid('a batchItemFailures entry has no itemIdentifier') },
  },
  'an itemIdentifier that is not in the batch fails the whole batch': {
    outcome: ok(failures('4900')), settings: REPORT,
    step: { kind: 'retry', from: 0, retries: 1, failure: invalid('itemIdentifier "4900" is not a sequence number in the batch') },
  },
  'batchItemFailures that is not a list fails the whole batch': {
    outcome: ok({ batchItemFailures: '4200' }), settings: REPORT,
    step: { kind: 'retry', from: 0, retries: 1, failure: invalid('batchItemFailures is not a list') },
  },
  'a function error retries the whole batch and spends a retry': {
    outcome: thrown, retries: 1, step: { kind: 'retry', from: 0, retries: 2, failure: functionError },
  },
  'a crashed handler is a function error, and the failure says how it crashed': {
    outcome: { ...thrown, crash: 'timeout' },
    step: { kind: 'retry', from: 0, retries: 1, failure: { ...functionError, crash: 'timeout' } },
  },
  'past MaximumRetryAttempts the batch goes to the failure destination': {
    outcome: thrown, retries: 3, step: { kind: 'give-up', from: 0, retries: 4, failure: functionError },
  },
  'MaximumRetryAttempts 0: the first failure is the last': {
    outcome: thrown, settings: { maxRetries: 0 }, step: { kind: 'give-up', from: 0, retries: 1, failure: functionError },
  },
  'MaximumRetryAttempts -1 retries without end': {
    outcome: thrown, settings: { maxRetries: -1 }, retries: 10_000,
    step: { kind: 'retry', from: 0, retries: 10_001, failure: functionError },
  },
  'bisect splits a failed batch in two, the larger half first, without spending a retry': {
    outcome: thrown, settings: BISECT, step: { kind: 'split', at: 3, failure: functionError },
  },
  'bisect splits even when the retries are used up: splits do not count': {
    outcome: thrown, settings: { ...BISECT, maxRetries: 0 }, records: 2, retries: 5,
    step: { kind: 'split', at: 1, failure: functionError },
  },
  'bisect cannot split one record: it is retried': {
    outcome: thrown, settings: BISECT, records: 1, step: { kind: 'retry', from: 0, retries: 1, failure: functionError },
  },
  'with bisect, a reported failure is cut at its sequence number, not in the middle': {
    outcome: ok(failures('4500')), settings: { ...BISECT, ...REPORT },
    step: { kind: 'retry', from: 4, retries: 1, failure: { reason: 'partial', succeeded: 4 } },
  },
  'bisect applies to function errors, not to a response Lambda rejects': {
    outcome: ok(failures('')), settings: { ...BISECT, ...REPORT },
    step: { kind: 'retry', from: 0, retries: 1, failure: invalid('a batchItemFailures entry has no itemIdentifier') },
  },
};

describe('nextStep', () => {
  it.each(Object.entries(CASES))('%s', (_name, { outcome, records = SEQUENCES.length, retries = 0, settings, step }) => {
    const batch = { sequences: SEQUENCES.slice(0, records), retries };
    expect(nextStep(outcome, batch, { ...DEFAULTS, ...settings })).toEqual(step);
  });
});

describe('pastMaxRecordAge', () => {
  const now = 1_700_000_000_000;

  it('marks records older than the limit, not those exactly at it or younger', () => {
    expect(pastMaxRecordAge([now - 60_001, now - 60_000, now - 1_000, now], now, 60_000)).toEqual([true, false, false, false]);
  });

  it('-1 never expires a record, however old', () => {
    expect(pastMaxRecordAge([0, now - 604_800_000], now, -1)).toEqual([false, false]);
  });

  it('a record stamped after `now` (clock skew) is not expired', () => {
    expect(pastMaxRecordAge([now + 5_000], now, 60_000)).toEqual([false]);
  });
});

describe('defaultRetryDelay', () => {
  it('retries at once the first time, then backs off from 100 ms, doubling, to at most 5 s', () => {
    expect([1, 2, 3, 4, 7, 8, 50].map(defaultRetryDelay)).toEqual([0, 100, 200, 400, 3_200, 5_000, 5_000]);
  });
});
