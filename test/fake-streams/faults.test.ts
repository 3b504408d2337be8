import { afterEach, describe, expect, it } from 'vitest';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { GetRecordsCommandOutput } from '@aws-sdk/client-dynamodb-streams';
import { startFakeStreams, type FakeStreams, type FakeStreamsOptions } from './index.js';
import { rejectionOf, sdkClients } from './sdk-clients.js';

let fake: FakeStreams | undefined;
let clients: ReturnType<typeof sdkClients> | undefined;

afterEach(async () => {
  clients?.destroy();
  await fake?.close();
  clients = undefined;
  fake = undefined;
});

/** A fake with one table "T" whose stream has one open shard holding `records` records. */
async function setUp(records = 3, options: FakeStreamsOptions = {}) {
  fake = await startFakeStreams(options);
  clients = sdkClients(fake.endpoint);
  const { streamArn } = fake.addTable({ tableName: 'T', stream: {} });
  const shardId = fake.shardsOf(streamArn!)[0]!.shardId;
  if (records) fake.appendGenerated(shardId, { count: records });
  const f = fake;
  const c = clients;
  const iterator = async (type: 'TRIM_HORIZON' | 'LATEST' | 'AT_SEQUENCE_NUMBER' = 'TRIM_HORIZON', seq?: string) =>
    (await c.streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: type, SequenceNumber: seq }))).ShardIterator!;
  const getRecords = (it: string) => c.streams.send(new GetRecordsCommand({ ShardIterator: it }));
  return { fake: f, clients: c, streamArn: streamArn!, shardId, iterator, getRecords };
}

describe('faults', () => {
  it('answers short pages when records per page are capped, whatever the Limit', async () => {
    const t = await setUp(5);
    t.fake.faults.recordsPerPage = 2;
    const sizes: number[] = [];
    let next: string | undefined = await t.iterator();
    while (next && sizes.length < 5) {
      const page: GetRecordsCommandOutput = await t.clients.streams.send(new GetRecordsCommand({ ShardIterator: next, Limit: 1000 }));
      sizes.push(page.Records?.length ?? 0);
      next = page.Records?.length ? page.NextShardIterator : undefined;
    }
    expect(sizes).toEqual([2, 2, 1, 0]);
  });

  it('delays answers by the configured latency, per action when asked', async () => {
    const t = await setUp();
    t.fake.faults.setLatency(120, { actions: ['ListStreams'] });
    const started = performance.now();
    await t.clients.streams.send(new ListStreamsCommand({}));
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    await t.clients.streams.send(new DescribeStreamCommand({ StreamArn: t.streamArn }));
    // Server-side durations: only the chosen action waited.
    const took = (action: string) => t.fake.log.entries({ action }).map((e) => e.endedAt! - e.startedAt)[0]!;
    expect(took('ListStreams')).toBeGreaterThanOrEqual(115);
    expect(took('DescribeStream')).toBeLessThan(115);
  });

  it('throttles the next N calls with the chosen exception, then recovers', async () => {
    const t = await setUp();
    t.fake.faults.throttle(2, { error: 'ThrottlingException' }).throttle(1);
    const names = [];
    for (let i = 0; i < 4; i++) {
      names.push(await t.clients.streams.send(new ListStreamsCommand({})).then(() => 'ok', (e: Error) => e.name));
    }
    expect(names).toEqual(['ThrottlingException', 'ThrottlingException', 'LimitExceededException', 'ok']);
    expect(t.fake.log.count({ action: 'ListStreams', outcome: 'ThrottlingException' })).toBe(2);
  });

  it('lets the SDK retry through 500s when it has attempts left', async () => {
    const t = await setUp();
    const patient = sdkClients(t.fake.endpoint, 3);
    try {
      t.fake.faults.internalErrors(2, { actions: ['GetShardIterator'] });
      const out = await patient.streams.send(new GetShardIteratorCommand({ StreamArn: t.streamArn, ShardId: t.shardId, ShardIteratorType: 'LATEST' }));
      expect(out.ShardIterator).toBeTruthy();
      expect(t.fake.log.entries({ action: 'GetShardIterator' }).map((e) => e.outcome)).toEqual(['InternalServerError', 'InternalServerError', 'ok']);
    } finally {
      patient.destroy();
    }
  });

  it('answers the next N calls with HTTP 500 InternalServerError, only for the chosen actions', async () => {
    const t = await setUp();
    t.fake.faults.internalErrors(1, { actions: ['GetRecords'] });
    await t.clients.streams.send(new ListStreamsCommand({}));
    const error = await rejectionOf(t.getRecords(await t.iterator()));
    expect(error.name).toBe('InternalServerError');
    expect(error.$metadata?.httpStatusCode).toBe(500);
    expect((await t.getRecords(await t.iterator())).Records).toHaveLength(3);
  });

  it('destroys the connection of the next N calls', async () => {
    const t = await setUp();
    t.fake.faults.resetConnections(1);
    const error = await rejectionOf(t.clients.streams.send(new ListStreamsCommand({})));
    expect(error.code).toBe('ECONNRESET');
    expect(t.fake.log.entries({ action: 'ListStreams' })[0]!.outcome).toBe('reset');
    expect((await t.clients.streams.send(new ListStreamsCommand({}))).Streams).toHaveLength(1);
  });

  it('expires iterators older than the lifetime (15 minutes unless changed)', async () => {
    let clock = Date.UTC(2024, 5, 1);
    const t = await setUp(3, { now: () => clock });
    const it = await t.iterator();
    clock += 15 * 60 * 1000;
    expect((await t.getRecords(it)).Records).toHaveLength(3);
    clock += 1;
    const error = await rejectionOf(t.getRecords(it));
    expect(error.name).toBe('ExpiredIteratorException');
    expect(error.message).toMatch(/expired/i);

    t.fake.faults.setIteratorLifetime(1000);
    const fresh = await t.iterator();
    const page = await t.getRecords(fresh);
    clock += 1001;
    expect((await rejectionOf(t.getRecords(page.NextShardIterator!))).name).toBe('ExpiredIteratorException');
  });

  it('refuses positions before a trim point; TRIM_HORIZON starts at it', async () => {
    const t = await setUp(10);
    const old = await t.iterator();
    const firstSeq = t.fake.shardInfo(t.shardId).firstSequenceNumber!;
    t.fake.trimRecords(t.shardId, 4);
    expect((await rejectionOf(t.getRecords(old))).name).toBe('TrimmedDataAccessException');
    expect((await rejectionOf(t.iterator('AT_SEQUENCE_NUMBER', firstSeq))).name).toBe('TrimmedDataAccessException');
    const page = await t.getRecords(await t.iterator());
    expect(page.Records).toHaveLength(6);
    expect(page.Records![0]!.dynamodb?.SequenceNumber).toBe(t.fake.shardInfo(t.shardId).firstSequenceNumber);
    expect(t.fake.shardInfo(t.shardId).trimmedCount).toBe(4);
  });

  it('answers ResourceNotFoundException once a stream or its table is deleted', async () => {
    const t = await setUp();
    const it = await t.iterator();
    t.fake.deleteStream(t.streamArn);
    expect((await rejectionOf(t.getRecords(it))).name).toBe('ResourceNotFoundException');
    expect((await rejectionOf(t.clients.streams.send(new DescribeStreamCommand({ StreamArn: t.streamArn })))).name).toBe('ResourceNotFoundException');

    const other = t.fake.addStream({ tableName: 'Other' });
    t.fake.deleteTable('Other');
    expect((await rejectionOf(t.clients.streams.send(new DescribeStreamCommand({ StreamArn: other })))).name).toBe('ResourceNotFoundException');
    expect((await rejectionOf(t.clients.tables.send(new DescribeTableCommand({ TableName: 'Other' })))).name).toBe('ResourceNotFoundException');
  });

  it('keeps a disabled stream readable with its shards closed', async () => {
    const t = await setUp(2);
    t.fake.disableStream(t.streamArn);
    const described = await t.clients.streams.send(new DescribeStreamCommand({ StreamArn: t.streamArn }));
    expect(described.StreamDescription?.StreamStatus).toBe('DISABLED');
    expect(described.StreamDescription?.Shards?.[0]?.SequenceNumberRange?.EndingSequenceNumber).toBeDefined();
    const page = await t.getRecords(await t.iterator());
    expect(page.Records).toHaveLength(2);
    expect(page.NextShardIterator).toBeUndefined();
    const table = await t.clients.tables.send(new DescribeTableCommand({ TableName: 'T' }));
    expect(table.Table?.StreamSpecification).toEqual({ StreamEnabled: false });
  });

  it('lists children while the parent still looks open, closing it on the next describe', async () => {
    const t = await setUp(2);
    const children = t.fake.split(t.shardId, 2, { race: true });
    const describe = async () => (await t.clients.streams.send(new DescribeStreamCommand({ StreamArn: t.streamArn }))).StreamDescription!.Shards!;
    const during = await describe();
    expect(during.map((s) => s.ShardId)).toEqual([t.shardId, ...children]);
    expect(during[0]!.SequenceNumberRange?.EndingSequenceNumber).toBeUndefined();
    const racing = await t.getRecords(await t.iterator());
    expect(racing.NextShardIterator).toBeDefined();

    const after = await describe();
    expect(after[0]!.SequenceNumberRange?.EndingSequenceNumber).toBe(t.fake.shardInfo(t.shardId).lastSequenceNumber);
    const end = await t.getRecords(racing.NextShardIterator!);
    expect(end.Records).toEqual([]);
    expect(end.NextShardIterator).toBeUndefined();
  });

  it('returns empty pages that do not advance, when asked', async () => {
    const t = await setUp(3);
    t.fake.faults.emptyPages(2);
    const first = await t.getRecords(await t.iterator());
    const second = await t.getRecords(first.NextShardIterator!);
    const third = await t.getRecords(second.NextShardIterator!);
    expect([first, second, third].map((p) => p.Records?.length)).toEqual([0, 0, 3]);
  });

  it('counts concurrent readers per shard and throttles past the cap', async () => {
    const t = await setUp(3);
    t.fake.faults.setLatency(300, { actions: ['GetRecords'] }).setMaxReadersPerShard(2);
    const its = await Promise.all([1, 2, 3].map(() => t.iterator()));
    const outcomes = await Promise.all(its.map((it) => t.getRecords(it).then(() => 'ok', (e: Error) => e.name)));
    expect(outcomes.sort()).toEqual(['LimitExceededException', 'ok', 'ok']);
    expect(t.fake.log.maxConcurrentReaders(t.shardId)).toBe(3);
    expect(t.fake.log.entries({ action: 'GetRecords' }).every((e) => e.endedAt! >= e.startedAt + 290)).toBe(true);
  });

  it('survives a client that gives up while the answer is delayed', async () => {
    const t = await setUp();
    t.fake.faults.setLatency(200);
    const error = await rejectionOf(t.clients.streams.send(new ListStreamsCommand({}), { abortSignal: AbortSignal.timeout(30) }));
    expect(error.name).toBe('AbortError');
    await new Promise((resolve) => setTimeout(resolve, 250));
    t.fake.faults.setLatency(0);
    expect((await t.clients.streams.send(new ListStreamsCommand({}))).Streams).toHaveLength(1);
    expect(t.fake.log.entries({ action: 'ListStreams' }).map((e) => e.outcome)).toEqual(['ok', 'ok']);
  });

  it('clears every fault at once', async () => {
    const t = await setUp();
    t.fake.faults.throttle(5).internalErrors(5).resetConnections(5).emptyPages(5).setLatency(500).setIteratorLifetime(1);
    expect(t.fake.faults.pending()).toBe(20);
    t.fake.faults.clear();
    expect(t.fake.faults.pending()).toBe(0);
    const page = await t.getRecords(await t.iterator());
    expect(page.Records).toHaveLength(3);
  });
});

describe('call log', () => {
  it('shows whether a parent was read to its end before its children were opened', async () => {
    const t = await setUp(2);
    const [child] = t.fake.split(t.shardId, 1);
    const order = [t.shardId, child!];
    for (const shardId of order) {
      let it = (await t.clients.streams.send(new GetShardIteratorCommand({ StreamArn: t.streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      for (let i = 0; it && i < 3; i++) it = (await t.getRecords(it)).NextShardIterator;
    }
    const parentEnd = t.fake.log.entries({ action: 'GetRecords', shardId: t.shardId }).find((e) => e.shardEnd)!;
    const childOpen = t.fake.log.entries({ action: 'GetShardIterator', shardId: child })[0]!;
    expect(parentEnd.records).toBe(2);
    expect(parentEnd.seq).toBeLessThan(childOpen.seq);
    expect(childOpen.params).toMatchObject({ ShardId: child, ShardIteratorType: 'TRIM_HORIZON' });
    const since = t.fake.now() - 1000;
    expect(t.fake.log.callsPerSecond({ action: 'GetRecords' }, since)).toBeCloseTo(t.fake.log.count({ action: 'GetRecords' }), 0);
    t.fake.log.clear();
    expect(t.fake.log.count()).toBe(0);
  });
});
