import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type GetRecordsCommandOutput,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import { startFakeStreams, syntheticRecords, type FakeStreams } from './index.js';
import { rejectionOf, sdkClients } from './sdk-clients.js';

let fake: FakeStreams;
let clients: ReturnType<typeof sdkClients>;

beforeEach(async () => {
  fake = await startFakeStreams();
  clients = sdkClients(fake.endpoint);
});
afterEach(async () => {
  clients.destroy();
  await fake.close();
});

async function iterator(streamArn: string, shardId: string, type: ShardIteratorType = 'TRIM_HORIZON', sequenceNumber?: string) {
  const out = await clients.streams.send(new GetShardIteratorCommand({
    StreamArn: streamArn,
    ShardId: shardId,
    ShardIteratorType: type,
    SequenceNumber: sequenceNumber,
  }));
  return out.ShardIterator!;
}

/** Every page of a closed shard, until NextShardIterator is absent. */
async function readToEnd(streamArn: string, shardId: string, limit?: number): Promise<GetRecordsCommandOutput[]> {
  const pages: GetRecordsCommandOutput[] = [];
  let next: string | undefined = await iterator(streamArn, shardId);
  while (next) {
    const page: GetRecordsCommandOutput = await clients.streams.send(new GetRecordsCommand({ ShardIterator: next, Limit: limit }));
    pages.push(page);
    next = page.NextShardIterator;
  }
  return pages;
}

const item = (id: string, extra: Record<string, { S: string }> = {}) => ({ pk: { S: id }, ...extra });

describe('GetRecords on closed and open shards', () => {
  it('ends a closed shard with a page that carries records and no NextShardIterator', async () => {
    const { streamArn } = fake.addTable({ tableName: 'T', stream: { shards: 0 } });
    const shardId = fake.addShard(streamArn!, { records: ['a', 'b', 'c', 'd', 'e'].map((id) => ({ newImage: item(id) })), closed: true });
    const pages = await readToEnd(streamArn!, shardId, 2);
    expect(pages.map((p) => p.Records?.length)).toEqual([2, 2, 1]);
    expect(pages.map((p) => p.NextShardIterator === undefined)).toEqual([false, false, true]);
    expect(pages.flatMap((p) => p.Records ?? []).map((r) => r.dynamodb?.Keys?.pk?.S)).toEqual(['a', 'b', 'c', 'd', 'e']);

    const whole = await readToEnd(streamArn!, shardId);
    expect(whole).toHaveLength(1);
    expect(whole[0]!.Records).toHaveLength(5);
    expect(whole[0]!.NextShardIterator).toBeUndefined();
    expect(fake.log.entries({ action: 'GetRecords', shardId }).at(-1)).toMatchObject({ records: 5, shardEnd: true });
  });

  it('gives empty pages at the tip of an open shard, then records written meanwhile', async () => {
    const { streamArn } = fake.addTable({ tableName: 'T', stream: {} });
    const shardId = fake.shardsOf(streamArn!)[0]!.shardId;
    const first = await clients.streams.send(new GetRecordsCommand({ ShardIterator: await iterator(streamArn!, shardId) }));
    expect(first.Records).toEqual([]);
    expect(first.NextShardIterator).toBeTruthy();

    const written = fake.write(streamArn!, { newImage: item('live') });
    expect(written.shardId).toBe(shardId);
    const second = await clients.streams.send(new GetRecordsCommand({ ShardIterator: first.NextShardIterator }));
    expect(second.Records?.map((r) => r.dynamodb?.SequenceNumber)).toEqual([written.sequenceNumber]);

    fake.closeShard(shardId);
    const last = await clients.streams.send(new GetRecordsCommand({ ShardIterator: second.NextShardIterator }));
    expect(last.Records).toEqual([]);
    expect(last.NextShardIterator).toBeUndefined();
  });

  it('positions iterators at TRIM_HORIZON, LATEST, AT_ and AFTER_SEQUENCE_NUMBER', async () => {
    const { streamArn } = fake.addTable({ tableName: 'T', stream: {} });
    const shardId = fake.shardsOf(streamArn!)[0]!.shardId;
    const seqs = fake.appendRecords(shardId, ['a', 'b', 'c'].map((id) => ({ newImage: item(id) })));
    const keysFrom = async (it: string) =>
      ((await clients.streams.send(new GetRecordsCommand({ ShardIterator: it }))).Records ?? []).map((r) => r.dynamodb?.Keys?.pk?.S);
    expect(await keysFrom(await iterator(streamArn!, shardId, 'TRIM_HORIZON'))).toEqual(['a', 'b', 'c']);
    expect(await keysFrom(await iterator(streamArn!, shardId, 'AT_SEQUENCE_NUMBER', seqs[1]))).toEqual(['b', 'c']);
    expect(await keysFrom(await iterator(streamArn!, shardId, 'AFTER_SEQUENCE_NUMBER', seqs[1]))).toEqual(['c']);
    const latest = await iterator(streamArn!, shardId, 'LATEST');
    expect(await keysFrom(latest)).toEqual([]);
    fake.appendRecords(shardId, [{ newImage: item('d') }]);
    expect(await keysFrom(latest)).toEqual(['d']);

    const before = (BigInt(seqs[0]!) - 1n).toString();
    expect((await rejectionOf(iterator(streamArn!, shardId, 'AT_SEQUENCE_NUMBER', before))).name).toBe('ValidationException');
    expect((await rejectionOf(iterator(streamArn!, shardId, 'AT_SEQUENCE_NUMBER'))).name).toBe('ValidationException');
    expect((await rejectionOf(iterator(streamArn!, 'shardId-00000000000000000000-00000000'))).name).toBe('ResourceNotFoundException');
  });

  it('caps a page at 1 MB whatever the Limit', async () => {
    const { streamArn } = fake.addTable({ tableName: 'Big', stream: { shards: 0 } });
    const shardId = fake.addShard(streamArn!, {
      lazy: { count: 300, generate: syntheticRecords({ payloadBytes: 10_000, keySpace: 1_000 }) },
      closed: true,
    });
    const pages = await readToEnd(streamArn!, shardId, 1000);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages[0]!.Records!.length).toBeLessThan(300);
    expect(pages.reduce((n, p) => n + (p.Records?.length ?? 0), 0)).toBe(300);
  });
});

describe('records on the wire', () => {
  it('has the DynamoDB Streams record shape, with binary as base64 and TTL identities', async () => {
    const { streamArn } = fake.addTable({ tableName: 'Shapes', stream: {} });
    const shardId = fake.shardsOf(streamArn!)[0]!.shardId;
    const time = Date.UTC(2024, 0, 2, 3, 4, 5, 678);
    fake.appendRecords(shardId, [
      { newImage: { pk: { S: 'k' }, blob: { B: new Uint8Array([0, 1, 254, 255]) }, set: { BS: ['AQI='] } }, time },
      { oldImage: { pk: { S: 'k' }, n: { N: '12345678901234567890123456789012345678' } }, userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } },
    ]);
    const { Records } = await clients.streams.send(new GetRecordsCommand({ ShardIterator: await iterator(streamArn!, shardId) }));
    const [insert, remove] = Records!;
    expect(insert).toMatchObject({ eventName: 'INSERT', eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: 'us-east-1' });
    expect(insert!.eventID).toMatch(/^[0-9a-f]{32}$/);
    expect(insert!.dynamodb?.ApproximateCreationDateTime).toEqual(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)));
    expect(insert!.dynamodb?.Keys).toEqual({ pk: { S: 'k' } });
    expect(Array.from(insert!.dynamodb!.NewImage!.blob!.B!)).toEqual([0, 1, 254, 255]);
    expect(Array.from(insert!.dynamodb!.NewImage!.set!.BS![0]!)).toEqual([1, 2]);
    expect(insert!.dynamodb?.SizeBytes).toBeGreaterThan(0);
    expect(insert!.dynamodb?.StreamViewType).toBe('NEW_AND_OLD_IMAGES');
    expect(insert!.userIdentity).toBeUndefined();
    expect(remove!.eventName).toBe('REMOVE');
    expect(remove!.dynamodb?.OldImage?.n?.N).toBe('12345678901234567890123456789012345678');
    expect(remove!.userIdentity).toEqual({ PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' });
    const seqs = Records!.map((r) => r.dynamodb!.SequenceNumber!);
    expect(seqs.every((s) => /^\d{21,}$/.test(s))).toBe(true);
    expect(BigInt(seqs[1]!)).toBeGreaterThan(BigInt(seqs[0]!));
  });

  it('sends only the images the stream view type carries', async () => {
    const change = { oldImage: item('k', { v: { S: 'old' } }), newImage: item('k', { v: { S: 'new' } }) };
    const seen: Record<string, string[]> = {};
    for (const viewType of ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'] as const) {
      const { streamArn } = fake.addTable({ tableName: `V${viewType}`, stream: { viewType } });
      const shardId = fake.shardsOf(streamArn!)[0]!.shardId;
      fake.appendRecords(shardId, [change]);
      const { Records } = await clients.streams.send(new GetRecordsCommand({ ShardIterator: await iterator(streamArn!, shardId) }));
      expect(Records![0]!.eventName).toBe('MODIFY');
      seen[viewType] = Object.keys(Records![0]!.dynamodb!).filter((k) => k.endsWith('Image')).sort();
    }
    expect(seen).toEqual({
      KEYS_ONLY: [],
      NEW_IMAGE: ['NewImage'],
      OLD_IMAGE: ['OldImage'],
      NEW_AND_OLD_IMAGES: ['NewImage', 'OldImage'],
    });
  });
});

describe('lineage and scale', () => {
  it('keeps sequence numbers increasing down a 64-shard lineage read parent first', async () => {
    const { streamArn } = fake.addTable({ tableName: 'Chain', stream: { shards: 0 } });
    const lineage = fake.addLineage(streamArn!, { depth: 64, recordsPerShard: 3, closeLeaves: true });
    expect(lineage.shards).toHaveLength(64);
    const seqs: bigint[] = [];
    for (const shardId of lineage.shards) {
      for (const page of await readToEnd(streamArn!, shardId)) {
        seqs.push(...(page.Records ?? []).map((r) => BigInt(r.dynamodb!.SequenceNumber!)));
      }
    }
    expect(seqs).toHaveLength(64 * 3);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]! > seqs[i - 1]!).toBe(true);
    const info = fake.shardInfo(lineage.shards[1]!);
    expect(info.parentShardId).toBe(lineage.root);
    expect(BigInt(info.startingSequenceNumber)).toBeGreaterThan(BigInt(fake.shardInfo(lineage.root).endingSequenceNumber!));
  });

  it('serves a million generated records without holding them', async () => {
    const { streamArn } = fake.addTable({ tableName: 'Million', stream: { shards: 0 } });
    const heapBefore = process.memoryUsage().heapUsed;
    const shardId = fake.addShard(streamArn!, { lazy: { count: 1_000_000 }, closed: true });
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(5 * 1024 * 1024);
    const info = fake.shardInfo(shardId);
    expect(info.recordCount).toBe(1_000_000);

    const first = await clients.streams.send(new GetRecordsCommand({ ShardIterator: await iterator(streamArn!, shardId) }));
    expect(first.Records).toHaveLength(1000);
    expect(first.Records![0]!.dynamodb?.SequenceNumber).toBe(info.firstSequenceNumber);
    expect(first.Records![0]!.eventName).toBe('INSERT');

    const tail = await clients.streams.send(new GetRecordsCommand({
      ShardIterator: await iterator(streamArn!, shardId, 'AT_SEQUENCE_NUMBER', info.lastSequenceNumber),
    }));
    expect(tail.Records?.map((r) => r.dynamodb?.SequenceNumber)).toEqual([info.lastSequenceNumber]);
    expect(tail.Records![0]!.eventName).toBe('MODIFY');
    expect(tail.NextShardIterator).toBeUndefined();
    // The same index always produces the same record.
    expect(fake.recordsOf(shardId, 999_999)[0]).toMatchObject({ eventID: tail.Records![0]!.eventID });
  });

  it('routes writes of one item to the same child after a split', () => {
    const { streamArn } = fake.addTable({ tableName: 'Route', stream: {} });
    const parent = fake.shardsOf(streamArn!)[0]!.shardId;
    const before = fake.write(streamArn!, { newImage: item('same') });
    const children = fake.split(parent, 4);
    const after = [1, 2, 3].map(() => fake.write(streamArn!, { newImage: item('same') }));
    expect(before.shardId).toBe(parent);
    expect(new Set(after.map((w) => w.shardId)).size).toBe(1);
    expect(children).toContain(after[0]!.shardId);
    expect(BigInt(after[0]!.sequenceNumber)).toBeGreaterThan(BigInt(before.sequenceNumber));
    expect(() => fake.appendRecords(parent, [{ newImage: item('x') }])).toThrow(/closed/);
  });
});
