import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoDbSdk } from '../aws/dynamodb-sdk.js';
import { setMaxListeners } from 'node:events';
import { PageHandover } from '../stream/page-handover.js';
import { GaveUpRetryingError } from '../stream/errors.js';
import { withRetry, type RetryPolicy } from '../stream/retry.js';
import type { ReaderEvent } from '../stream/types.js';
import { ScanFailedError } from './errors.js';
import type { ScanKey } from './scan-progress.js';

const { ScanCommand } = dynamoDbSdk;

/** One Scan page of one segment. */
export interface ScanPage {
  segment: number;
  items: ScanKey[];
  /** Where the segment continues; absent: the segment is done. */
  next?: ScanKey;
  /** Read capacity units the page cost, as DynamoDB reported them. */
  capacity: number;
}

/** How each Scan call is made. */
export interface ScanCallOptions {
  client: DynamoDBClient;
  table: string;
  totalSegments: number;
  consistent: boolean;
  retry: RetryPolicy;
  /** Throttling and recovery, as the stream reader reports them. */
  onEvent?: (event: ReaderEvent) => void;
  /** Items per Scan page (DynamoDB's own limit of 1 MB applies too). */
  pageSize?: number;
}

export interface ParallelScanOptions extends ScanCallOptions {
  /** The segments to read, each from its start or after a saved key. */
  segments: { segment: number; startKey?: ScanKey }[];
  /** Segments scanned at once. */
  concurrency: number;
  signal: AbortSignal;
}

/**
 * A parallel Scan: `concurrency` segments at a time, each read page by page in order, pages of
 * different segments interleaved. One page per segment waits for the consumer at most, so memory
 * stays bounded and the consumer's pace reaches DynamoDB. Throttling is waited out with backoff;
 * a table that cannot be read fails with ScanFailedError.
 */
export async function* parallelScan(options: ParallelScanOptions): AsyncGenerator<ScanPage> {
  if (!options.segments.length) return;
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  const pages = new PageHandover<ScanPage>(Math.max(1, options.concurrency));
  const halt = (): void => {
    stop.abort();
    pages.halt();
  };
  options.signal.addEventListener('abort', halt, { once: true });
  const waiting = [...options.segments];
  let running = 0;

  const startNext = (): void => {
    while (running < options.concurrency && waiting.length && !stop.signal.aborted) {
      const next = waiting.shift()!;
      running++;
      void readSegment(next.segment, next.startKey).then(
        () => {
          running--;
          if (waiting.length) startNext();
          else if (running === 0) pages.close();
        },
        (error: unknown) => pages.fail(error),
      );
    }
  };

  const readSegment = async (segment: number, startKey: ScanKey | undefined): Promise<void> => {
    let key = startKey;
    for (;;) {
      const page = await scanPage(options, segment, key, stop.signal);
      if (!page) return;
      const handed = pages.hand(page);
      await handed.queued;
      await handed.taken;
      if (!page.next || stop.signal.aborted) return;
      key = page.next;
    }
  };

  try {
    startNext();
    yield* pages.pages(options.signal);
  } finally {
    options.signal.removeEventListener('abort', halt);
    halt();
  }
}

/**
 * One page of a segment after `startKey` (none: from its start), throttling waited out; undefined
 * once `signal` aborts. Fails with ScanFailedError for a table that cannot be read.
 */
export async function scanPage(options: ScanCallOptions, segment: number, startKey: ScanKey | undefined, signal: AbortSignal): Promise<ScanPage | undefined> {
  const command = new ScanCommand({
    TableName: options.table,
    Segment: segment,
    TotalSegments: options.totalSegments,
    ConsistentRead: options.consistent,
    ReturnConsumedCapacity: 'TOTAL',
    ...(options.pageSize ? { Limit: options.pageSize } : {}),
    ...(startKey ? { ExclusiveStartKey: startKey } : {}),
  });
  const emit = options.onEvent ?? (() => undefined);
  try {
    const answer = await withRetry(
      () => options.client.send(command, { abortSignal: signal }),
      options.retry,
      {
        onBackoff: (reason, delayMs, attempt) => emit({ type: 'backoff', reason, delayMs, attempt }),
        onRecovered: () => emit({ type: 'recovered' }),
      },
      signal,
    );
    if (!answer) return undefined;
    return {
      segment,
      items: answer.Items ?? [],
      ...(answer.LastEvaluatedKey ? { next: answer.LastEvaluatedKey } : {}),
      capacity: answer.ConsumedCapacity?.CapacityUnits ?? 0,
    };
  } catch (error) {
    if (signal.aborted) return undefined;
    if (error instanceof GaveUpRetryingError) {
      throw new ScanFailedError(options.table, { kind: 'gave-up', failure: error.failure, afterMs: error.afterMs }, { cause: error });
    }
    const name = (error as Error).name;
    if (name === 'AccessDeniedException') {
      throw new ScanFailedError(options.table, { kind: 'denied', detail: (error as Error).message }, { cause: error });
    }
    throw error;
  }
}
