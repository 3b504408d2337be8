import { describe, expect, it } from 'vitest';
import { describeBatchFailure, describeEvent, progressLine, streamSummaryLine, summaryLine } from '../../src/replay/event-text.js';
import type { BatchFailedEvent, EngineStats } from '../../src/replay/engine-types.js';

const failure = (overrides: Partial<BatchFailedEvent>): BatchFailedEvent => ({
  type: 'batch-failed', shardId: 'shard-1', records: 4, firstSequence: '100', lastSequence: '103',
  reason: 'function-error', error: { errorType: 'TypeError', errorMessage: 'x is undefined' },
  retries: 1, maxRetries: 3, next: 'retry', ...overrides,
});

const stats = (overrides: Partial<EngineStats>): EngineStats => ({
  received: 0, filtered: 0, succeeded: 0, invocations: 0, functionErrors: 0, retries: 0, bisects: 0,
  failedRecords: 0, failedBatches: 0, caughtUp: false, ...overrides,
});

describe('replay lines', () => {
  it('a tumbling window\'s final invocation names its window; its give-up is told (it has no records to discard)', () => {
    const final = failure({ records: 0, firstSequence: '', lastSequence: '', finalInvoke: { start: '2024-05-01T10:00:00Z', end: '2024-05-01T10:01:00Z' } });
    expect(describeBatchFailure(final)).toBe(
      'replay: the final invocation of window 2024-05-01T10:00:00Z–2024-05-01T10:01:00Z of shard shard-1 failed: TypeError: x is undefined; retry 1 of 3; the shard waits',
    );
    expect(describeEvent({ ...final, next: 'give-up', retries: 4 }, undefined)).toBe(
      'replay: the final invocation of window 2024-05-01T10:00:00Z–2024-05-01T10:01:00Z of shard shard-1 failed: TypeError: x is undefined; retries exhausted (3); the window\'s state is dropped',
    );
  });

  it('a function error says what failed, why, and what happens next', () => {
    expect(describeBatchFailure(failure({}))).toBe(
      'replay: 4 records of shard shard-1 (seq 100…103) failed: TypeError: x is undefined; retry 1 of 3',
    );
    expect(describeBatchFailure(failure({ next: 'bisect', records: 1, lastSequence: '100' }))).toBe(
      'replay: 1 record of shard shard-1 (seq 100) failed: TypeError: x is undefined; splitting the batch in two',
    );
    expect(describeBatchFailure(failure({ maxRetries: -1, retries: 7 }))).toMatch(/; retry 7 \(no limit\)$/);
  });

  it('a crash says the worker was replaced', () => {
    expect(describeBatchFailure(failure({
      crash: 'timeout', error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 60.00 seconds' },
    }))).toBe('replay: 4 records of shard shard-1 (seq 100…103) failed: Sandbox.Timedout: Task timed out after 60.00 seconds ' +
      '(the handler ran past --timeout and was stopped; a fresh worker takes the next batch); retry 1 of 3');
  });

  it('a rejected batchItemFailures response fails the whole batch', () => {
    expect(describeBatchFailure(failure({ reason: 'invalid-response', detail: 'a batchItemFailures entry has no itemIdentifier' })))
      .toBe('replay: 4 records of shard shard-1 (seq 100…103) failed: batchItemFailures not accepted: a batchItemFailures entry has no itemIdentifier; the whole batch failed; retry 1 of 3');
  });

  it('a batch given up on is told once, by its discard line', () => {
    expect(describeEvent(failure({ next: 'give-up' }), 'f.ndjson')).toBeUndefined();
    expect(describeEvent({
      type: 'discarded', condition: 'RecordAgeExceeded', shardId: 'shard-1', records: 2, firstSequence: '1', lastSequence: '2', attempts: 0,
    }, undefined)).toBe('replay: gave up on 2 records of shard shard-1 (seq 1…2): older than --max-record-age; dropped (no --on-failure file)');
  });

  it('the summary counts records, outcomes and work', () => {
    expect(summaryLine(stats({ received: 1200, succeeded: 1190, filtered: 7, failedRecords: 3, failedBatches: 1, invocations: 15, retries: 3, functionErrors: 4, bisects: 2 }), 1234, 'f.ndjson'))
      .toBe('replay: 1,200 records: 1,190 handled, 7 filtered, 3 failed (1 batch in f.ndjson) · 15 invocations, 3 retries, 4 function errors, 2 splits · 1.23 s');
    expect(summaryLine(stats({}), 40, undefined)).toBe('replay: 0 records: 0 handled · 0 invocations · 0.04 s');
  });

  it('with several streams, a line per stream names it, and leaves the time to the last line', () => {
    expect(streamSummaryLine('Orders', stats({ received: 12, succeeded: 10, failedRecords: 2, failedBatches: 1, invocations: 3 }), undefined))
      .toBe('replay: Orders: 12 records: 10 handled, 2 failed (dropped: no --on-failure file) · 3 invocations');
  });

  it('the progress line shows lag behind the stream while reading one', () => {
    const now = Date.UTC(2024, 4, 1, 12, 0, 0);
    const line = progressLine(stats({ received: 500, succeeded: 400, invocations: 4, lastRecordTime: now - 185_000 }), 65_000, now, true);
    expect(line).toBe('replay: 500 records · 4 invocations · 400 handled · behind 3m 5s · 1m 5s');
    expect(progressLine(stats({ received: 5, succeeded: 5, invocations: 1, lastRecordTime: now, caughtUp: true }), 500, now, true))
      .toBe('replay: 5 records · 1 invocation · 5 handled · caught up · 0.50 s');
    // The reader's lag, the largest over shards, when the caller tracks it.
    expect(progressLine(stats({ received: 5, succeeded: 5, invocations: 1, lastRecordTime: now, caughtUp: true }), 500, now, true, 'behind 2h 14m'))
      .toBe('replay: 5 records · 1 invocation · 5 handled · behind 2h 14m · 0.50 s');
  });
});
