import type { BatchFailedEvent, EngineEvent, EngineStats } from './engine-types.js';
import { formatDuration } from '../render/table.js';
import { formatCount, plural } from '../util/plural.js';

const CRASH_NOTE: Record<string, string> = {
  timeout: 'the handler ran past --timeout and was stopped; a fresh worker takes the next batch',
  exit: 'the handler\'s process exited; a fresh worker takes the next batch',
  uncaught: 'an uncaught exception ended the handler\'s process; a fresh worker takes the next batch',
  rejection: 'an unhandled rejection ended the handler\'s process; a fresh worker takes the next batch',
  load: 'the handler could not be loaded again',
  memory: 'the handler ran out of memory and its process was stopped; a fresh worker takes the next batch',
};

/** Short runs in seconds with a decimal, long ones as 3m 12s. */
export function formatElapsed(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : formatDuration(ms);
}


function span(event: { records: number; firstSequence: string; lastSequence: string; shardId: string }): string {
  const range = event.records === 1 ? `seq ${event.firstSequence}` : `seq ${event.firstSequence}…${event.lastSequence}`;
  return `${plural(event.records, 'record')} of shard ${event.shardId} (${range})`;
}

function whatFollows(event: BatchFailedEvent): string {
  switch (event.next) {
    case 'bisect':
      return 'splitting the batch in two';
    case 'give-up':
      return event.maxRetries === 0 ? 'no retries (--max-retries 0)' : `retries exhausted (${event.maxRetries})`;
    case 'retry':
      return event.maxRetries < 0 ? `retry ${event.retries} (no limit)` : `retry ${event.retries} of ${event.maxRetries}`;
  }
}

/** One line for a failed attempt: what failed, why, and what happens next. */
export function describeBatchFailure(event: BatchFailedEvent): string {
  let why: string;
  if (event.reason === 'function-error') {
    why = `${event.error?.errorType ?? 'Error'}: ${event.error?.errorMessage ?? ''}`.trim();
    if (event.crash) why += ` (${CRASH_NOTE[event.crash]})`;
  } else if (event.reason === 'partial') {
    const done = event.succeeded ? `${plural(event.succeeded, 'record')} before it done; ` : '';
    return `replay: the handler reported seq ${event.firstSequence} of shard ${event.shardId} failed: ${done}` +
      `${whatFollows(event)} from it (${plural(event.records, 'record')})`;
  } else {
    why = `batchItemFailures not accepted: ${event.detail ?? 'invalid response'}; the whole batch failed`;
  }
  if (event.finalInvoke) {
    const { start, end } = event.finalInvoke;
    const next = event.next === 'give-up' ? `${whatFollows(event)}; the window's state is dropped` : `${whatFollows(event)}; the shard waits`;
    return `replay: the final invocation of window ${start}–${end} of shard ${event.shardId} failed: ${why}; ${next}`;
  }
  return `replay: ${span(event)} failed: ${why}; ${whatFollows(event)}`;
}

export function describeDiscard(
  event: Extract<EngineEvent, { type: 'discarded' }>,
  failureFile: string | undefined,
): string {
  const why = event.condition === 'RecordAgeExceeded'
    ? 'older than --max-record-age'
    : `${plural(event.attempts, 'attempt')} failed` + (event.error ? ` (last: ${event.error.errorType}: ${event.error.errorMessage})` : '');
  const where = failureFile ? `written to ${failureFile}` : 'dropped (no --on-failure file)';
  return `replay: gave up on ${span(event)}: ${why}; ${where}`;
}

/** The line for an engine event; a batch given up on is told once, by its discard. */
export function describeEvent(event: EngineEvent, failureFile: string | undefined): string | undefined {
  // A final invocation has no records to discard: its give-up is told here.
  if (event.type === 'batch-failed') return event.next === 'give-up' && !event.finalInvoke ? undefined : describeBatchFailure(event);
  if (event.type === 'discarded') return describeDiscard(event, failureFile);
  return undefined;
}

/**
 * The live status line (a TTY only). `lag` is the reader's (`behind 2h 14m`, `caught up`, the
 * largest over shards) when the caller tracks it; otherwise the age of the newest record handled.
 */
export function progressLine(stats: EngineStats, elapsedMs: number, now: number, live: boolean, lag?: string): string {
  const parts = [
    plural(stats.received, 'record'),
    plural(stats.invocations, 'invocation'),
    `${formatCount(stats.succeeded)} handled`,
  ];
  if (stats.filtered) parts.push(`${formatCount(stats.filtered)} filtered`);
  if (stats.retries) parts.push(plural(stats.retries, 'retry', 'retries'));
  if (stats.failedRecords) parts.push(`${formatCount(stats.failedRecords)} failed`);
  if (live && lag) parts.push(lag);
  else if (live && stats.lastRecordTime !== undefined) {
    parts.push(stats.caughtUp ? 'caught up' : `behind ${formatDuration(Math.max(0, now - stats.lastRecordTime))}`);
  }
  parts.push(formatElapsed(elapsedMs));
  return `replay: ${parts.join(' · ')}`;
}

/** The last line, always printed. */
export function summaryLine(stats: EngineStats, elapsedMs: number, failureFile: string | undefined): string {
  return `replay: ${summaryText(stats, failureFile)} · ${formatElapsed(elapsedMs)}`;
}

/** With several streams, one line per stream's mapping before the last line: `replay: Orders: 120 records: …`. */
export function streamSummaryLine(stream: string, stats: EngineStats, failureFile: string | undefined): string {
  return `replay: ${stream}: ${summaryText(stats, failureFile)}`;
}

function summaryText(stats: EngineStats, failureFile: string | undefined): string {
  const parts = [`${formatCount(stats.succeeded)} handled`];
  if (stats.filtered) parts.push(`${formatCount(stats.filtered)} filtered`);
  if (stats.failedRecords) {
    const where = failureFile ? ` (${plural(stats.failedBatches, 'batch', 'batches')} in ${failureFile})` : ' (dropped: no --on-failure file)';
    parts.push(`${formatCount(stats.failedRecords)} failed${where}`);
  }
  const work = [plural(stats.invocations, 'invocation')];
  if (stats.retries) work.push(plural(stats.retries, 'retry', 'retries'));
  if (stats.functionErrors) work.push(plural(stats.functionErrors, 'function error'));
  if (stats.bisects) work.push(plural(stats.bisects, 'split'));
  return `${plural(stats.received, 'record')}: ${parts.join(', ')} · ${work.join(', ')}`;
}
