import type { DynamoDBClient, ScanCommand, ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parallelScan, type ScanPage } from '../../src/scan/parallel-scan.js';
import { ScanFailedError } from '../../src/scan/errors.js';
import { describeError } from '../../src/messages/describe-error.js';
import { DEFAULT_RETRY } from '../../src/stream/retry.js';
import type { ReaderEvent } from '../../src/stream/types.js';

/**
 * What the scan does when DynamoDB refuses: throttling is waited out with backoff (on a fake
 * clock: the waits take no real time), a refusal that outlasts the give-up time or a missing
 * permission ends the scan with one ScanFailedError, worded in one line.
 */

/** An error as the SDK throws it for a DynamoDB error answer. */
function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });
}

interface Call {
  segment: number;
  at: number;
}

/** A DynamoDB client whose Scan answers with `answer(call number of the segment, segment)`. */
function stubClient(answer: (attempt: number, segment: number) => Error | ScanCommandOutput): { client: DynamoDBClient; calls: Call[] } {
  const calls: Call[] = [];
  const client = {
    send: async (command: ScanCommand) => {
      const segment = command.input.Segment ?? 0;
      calls.push({ segment, at: Date.now() });
      const result = answer(calls.filter((c) => c.segment === segment).length, segment);
      if (result instanceof Error) throw result;
      return result;
    },
  } as unknown as DynamoDBClient;
  return { client, calls };
}

const page = (pk: string): ScanCommandOutput => ({ Items: [{ pk: { S: pk } }], ConsumedCapacity: { CapacityUnits: 0.5 }, $metadata: {} });

function scan(client: DynamoDBClient, events: ReaderEvent[], segments = 1) {
  return parallelScan({
    client, table: 'Users', totalSegments: segments, segments: Array.from({ length: segments }, (_, segment) => ({ segment })),
    consistent: false, concurrency: segments, retry: DEFAULT_RETRY, signal: new AbortController().signal, onEvent: (e) => events.push(e),
  });
}

/** Reads the scan to its end while the fake clock runs every timer as it comes due. */
async function drain(pages: AsyncIterable<ScanPage>): Promise<ScanPage[]> {
  const out: ScanPage[] = [];
  const reading = (async () => {
    for await (const p of pages) out.push(p);
  })();
  let settled = false;
  reading.then(() => (settled = true), () => (settled = true));
  while (!settled) await vi.advanceTimersByTimeAsync(100);
  await reading;
  return out;
}

/** The error `run` failed with. */
async function failure(run: Promise<unknown>): Promise<unknown> {
  return run.then(() => expect.unreachable('the scan should have failed'), (error: unknown) => error);
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('parallelScan when DynamoDB throttles or refuses', () => {
  for (const name of ['ProvisionedThroughputExceededException', 'ThrottlingException']) {
    it(`waits out ${name} with growing backoff, says so, and delivers the page once it is answered`, async () => {
      const { client, calls } = stubClient((attempt) => (attempt <= 4 ? awsError(name, 'slow down') : page('alice')));
      const events: ReaderEvent[] = [];
      const pages = await drain(scan(client, events));
      expect(pages.map((p) => p.items)).toEqual([[{ pk: { S: 'alice' } }]]);
      expect(calls).toHaveLength(5);
      const backoffs = events.filter((e) => e.type === 'backoff');
      expect(backoffs.map((e) => e.attempt)).toEqual([1, 2, 3, 4]);
      expect(backoffs[0]).toMatchObject({ reason: `throttled: ${name}` });
      // Each attempt waits as long as its backoff said, never less.
      for (let i = 1; i < calls.length; i++) expect(calls[i]!.at - calls[i - 1]!.at).toBeGreaterThanOrEqual(backoffs[i - 1]!.delayMs);
      expect(events.at(-1)).toEqual({ type: 'recovered' });
    });
  }

  it('gives up once throttling has lasted the give-up time: one ScanFailedError, one line naming what to do', async () => {
    const { client, calls } = stubClient(() => awsError('ProvisionedThroughputExceededException', 'The level of configured provisioned throughput for the table was exceeded.'));
    const events: ReaderEvent[] = [];
    const started = Date.now();
    const error = await failure(drain(scan(client, events)));
    expect(error).toBeInstanceOf(ScanFailedError);
    expect((error as ScanFailedError).problem).toEqual({ kind: 'gave-up', failure: 'throttled', afterMs: DEFAULT_RETRY.giveUpAfterMs });
    // The last attempt comes when the give-up time is up, not a backoff later; and the waits were backoff, not a busy loop.
    expect(calls.at(-1)!.at - started).toBe(DEFAULT_RETRY.giveUpAfterMs);
    expect(calls.length).toBeLessThan(40);
    expect(describeError(error, false)).toBe(
      'ddbstream: the scan of "Users" was still throttled after 60s of backoff. Use fewer --scan-segments or a lower --concurrency, or raise the table\'s read capacity, then rerun (with --checkpoint to resume by segment).',
    );
  });

  it('stops at once on AccessDeniedException: no retry, one line naming the permissions', async () => {
    const { client, calls } = stubClient(() => awsError('AccessDeniedException', 'User: arn:aws:iam::1:user/r is not authorized to perform: dynamodb:Scan'));
    const error = await failure(drain(scan(client, [])));
    expect(calls).toHaveLength(1);
    expect((error as ScanFailedError).problem).toEqual({ kind: 'denied', detail: 'User: arn:aws:iam::1:user/r is not authorized to perform: dynamodb:Scan' });
    expect(describeError(error, false)).toBe(
      'ddbstream: cannot scan table "Users": access denied (User: arn:aws:iam::1:user/r is not authorized to perform: dynamodb:Scan). --scan needs dynamodb:Scan and dynamodb:DescribeTable on the table.',
    );
  });

  it('one segment that cannot be read ends the whole scan: the others stop calling', async () => {
    const { client, calls } = stubClient((_, segment) => (segment === 1 ? awsError('AccessDeniedException', 'no') : awsError('ThrottlingException', 'Rate exceeded')));
    const error = await failure(drain(scan(client, [], 2)));
    expect((error as ScanFailedError).problem.kind).toBe('denied');
    const made = calls.length;
    await vi.advanceTimersByTimeAsync(120_000);
    expect(calls).toHaveLength(made);
  });
});
