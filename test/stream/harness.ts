import { expect } from 'vitest';
import { createClients, type AwsClients } from '../../src/aws/clients.js';
import { resolveAwsConfig } from '../../src/aws/client-config.js';
import { readStream, type ReadStreamOptions } from '../../src/stream/reader.js';
import type { ReaderEvent, ShardBatch } from '../../src/stream/types.js';
import type { RetryPolicy } from '../../src/stream/retry.js';
import { startFakeStreams, type FakeStreams, type FakeStreamsOptions } from '../fake-streams/index.js';

/** Small waits so that fault tests take milliseconds, not the production seconds. */
export const FAST_RETRY: RetryPolicy = { baseMs: 5, maxDelayMs: 40, giveUpAfterMs: 5_000 };

export interface Harness {
  fake: FakeStreams;
  clients: AwsClients;
  streamArn: string;
  events: ReaderEvent[];
  /** Reader options against this stream: TRIM_HORIZON, no follow, short intervals, fast retries. */
  options(extra?: Partial<ReadStreamOptions>): ReadStreamOptions;
  close(): Promise<void>;
}

const open: Harness[] = [];

/** A fake endpoint with table "T" and a stream of `shards` root shards (default none), and clients the way the CLI builds them. */
export async function setUp(shards = 0, fakeOptions: FakeStreamsOptions = {}): Promise<Harness> {
  const fake = await startFakeStreams(fakeOptions);
  const { streamArn } = fake.addTable({ tableName: 'T', stream: { shards } });
  const clients = createClients(resolveAwsConfig({ endpointUrl: fake.endpoint }, {}));
  const events: ReaderEvent[] = [];
  const harness: Harness = {
    fake,
    clients,
    streamArn: streamArn!,
    events,
    options: (extra = {}) => ({
      client: clients.streams,
      streamArn: streamArn!,
      table: 'T',
      start: { type: 'TRIM_HORIZON' },
      follow: false,
      pollIntervalMs: 20,
      describeIntervalMs: 100,
      retry: FAST_RETRY,
      onEvent: (event) => events.push(event),
      ...extra,
    }),
    close: async () => {
      clients.destroy();
      await fake.close();
    },
  };
  open.push(harness);
  return harness;
}

/** For afterEach: stop every fake and client this file started. */
export async function closeAll(): Promise<void> {
  for (const harness of open.splice(0)) await harness.close();
}

/** Every batch until the reader ends (or throws). */
export async function readAll(options: ReadStreamOptions): Promise<ShardBatch[]> {
  const batches: ShardBatch[] = [];
  for await (const batch of readStream(options)) batches.push(batch);
  return batches;
}

/** The error the reader ended with (fails the test if it ended normally), and what it yielded first. */
export async function readUntilError(options: ReadStreamOptions): Promise<{ error: Error; batches: ShardBatch[] }> {
  const batches: ShardBatch[] = [];
  try {
    for await (const batch of readStream(options)) batches.push(batch);
  } catch (error) {
    return { error: error as Error, batches };
  }
  throw new Error(`expected the reader to fail; it ended normally after ${batches.length} batches`);
}

/**
 * Read while following until `done(batches)` holds, then abort; the generator must then return
 * on its own (no throw). Fails after `timeoutMs`.
 */
export async function followUntil(
  options: ReadStreamOptions,
  done: (batches: ShardBatch[]) => boolean,
  { timeoutMs = 8_000, onBatch }: { timeoutMs?: number; onBatch?: (batch: ShardBatch, all: ShardBatch[]) => void } = {},
): Promise<ShardBatch[]> {
  const controller = new AbortController();
  const batches: ShardBatch[] = [];
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let timedOut = false;
  controller.signal.addEventListener('abort', () => {
    if (!done(batches)) timedOut = true;
  });
  try {
    if (done(batches)) controller.abort();
    for await (const batch of readStream({ ...options, follow: true, signal: controller.signal })) {
      batches.push(batch);
      onBatch?.(batch, batches);
      if (done(batches)) controller.abort();
    }
  } finally {
    clearTimeout(timer);
  }
  if (timedOut) throw new Error(`gave up after ${timeoutMs} ms; read ${sequenceNumbers(batches).length} records`);
  return batches;
}

export function sequenceNumbers(batches: ShardBatch[], shardId?: string): string[] {
  return batches.filter((b) => shardId === undefined || b.shardId === shardId).flatMap((b) => b.records.map((r) => r.sequenceNumber));
}

/** The sequence numbers the fake holds for a shard (readable ones), from `from` (an index). */
export function storedSequenceNumbers(fake: FakeStreams, shardId: string, from = 0): string[] {
  return fake.recordsOf(shardId, from).map((r) => (r.dynamodb as { SequenceNumber: string }).SequenceNumber);
}

/**
 * Every record of `shardIds` exactly once, in shard order, each record yielded under its own
 * shard; and no record of any other shard.
 */
export function expectExactlyOnce(fake: FakeStreams, batches: ShardBatch[], shardIds: string[]): void {
  const expected = new Map(shardIds.map((id) => [id, storedSequenceNumbers(fake, id)]));
  const seen = new Map<string, string[]>();
  for (const batch of batches) {
    for (const record of batch.records) {
      expect(record.shardId).toBe(batch.shardId);
      const list = seen.get(batch.shardId) ?? [];
      list.push(record.sequenceNumber);
      seen.set(batch.shardId, list);
    }
  }
  for (const id of seen.keys()) expect(expected.has(id), `records from unexpected shard ${id}`).toBe(true);
  for (const [id, numbers] of expected) expect(seen.get(id) ?? [], `shard ${id}`).toEqual(numbers);
}

/** In the yielded sequence, every batch of a child comes after its parent's final (end) batch. */
export function expectParentsFirst(fake: FakeStreams, batches: ShardBatch[]): void {
  const endAt = new Map<string, number>();
  batches.forEach((b, i) => {
    if (b.end) endAt.set(b.shardId, i);
  });
  batches.forEach((b, i) => {
    const parent = fake.shardInfo(b.shardId).parentShardId;
    if (!parent || fake.shardInfo(parent).dropped) return;
    const parentEnd = endAt.get(parent);
    expect(parentEnd, `parent ${parent} of ${b.shardId} never ended`).toBeDefined();
    expect(parentEnd!, `batch ${i} of ${b.shardId} came before its parent ended`).toBeLessThan(i);
  });
}

/**
 * On the wire: a parent's final GetRecords (no next iterator) came before any GetRecords of a
 * child, and children began at TRIM_HORIZON. (A child's iterator may be taken while its parent
 * is read: an iterator reads nothing.)
 */
export function expectParentsEndedBeforeChildrenOpened(fake: FakeStreams, shardIds: string[]): void {
  for (const id of shardIds) {
    const info = fake.shardInfo(id);
    if (!info.parentShardId || fake.shardInfo(info.parentShardId).dropped) continue;
    const parentEnd = fake.log.entries({ action: 'GetRecords', shardId: info.parentShardId }).find((e) => e.shardEnd && e.outcome === 'ok');
    const opens = fake.log.entries({ action: 'GetShardIterator', shardId: id });
    const reads = fake.log.entries({ action: 'GetRecords', shardId: id });
    expect(parentEnd, `parent ${info.parentShardId} was not read to its end`).toBeDefined();
    expect(opens.length).toBeGreaterThan(0);
    for (const read of reads) expect(read.seq).toBeGreaterThan(parentEnd!.seq);
    expect(opens[0]!.params.ShardIteratorType).toBe('TRIM_HORIZON');
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Wait until `condition` holds (polling), or fail after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await delay(5);
  }
}
