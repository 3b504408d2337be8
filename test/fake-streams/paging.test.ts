import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DescribeStreamCommand,
  ListStreamsCommand,
  type DescribeStreamCommandOutput,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import { startFakeStreams, type FakeStreams } from './index.js';
import { sdkClients } from './sdk-clients.js';

let fake: FakeStreams;
let clients: ReturnType<typeof sdkClients>;

beforeEach(async () => {
  fake = await startFakeStreams({ seed: 42 });
  clients = sdkClients(fake.endpoint);
});
afterEach(async () => {
  clients.destroy();
  await fake.close();
});

async function describeAll(streamArn: string, limit?: number): Promise<{ shards: Shard[]; pages: DescribeStreamCommandOutput[] }> {
  const pages: DescribeStreamCommandOutput[] = [];
  const shards: Shard[] = [];
  let start: string | undefined;
  do {
    const page = await clients.streams.send(new DescribeStreamCommand({ StreamArn: streamArn, Limit: limit, ExclusiveStartShardId: start }));
    pages.push(page);
    shards.push(...(page.StreamDescription?.Shards ?? []));
    start = page.StreamDescription?.LastEvaluatedShardId;
  } while (start);
  return { shards, pages };
}

describe('DescribeStream paging', () => {
  it('pages 250 shards 100 at a time until LastEvaluatedShardId is absent', async () => {
    const { streamArn } = fake.addTable({ tableName: 'Wide', stream: { viewType: 'KEYS_ONLY', shards: 250 } });
    const { shards, pages } = await describeAll(streamArn!);
    expect(pages.map((p) => p.StreamDescription?.Shards?.length)).toEqual([100, 100, 50]);
    expect(pages[0]!.StreamDescription?.LastEvaluatedShardId).toBe(shards[99]!.ShardId);
    expect(pages[2]!.StreamDescription?.LastEvaluatedShardId).toBeUndefined();
    expect(new Set(shards.map((s) => s.ShardId)).size).toBe(250);
    for (const shard of shards) {
      expect(shard.ShardId).toMatch(/^shardId-\d{20}-[0-9a-f]{8}$/);
      expect(shard.SequenceNumberRange?.StartingSequenceNumber).toMatch(/^\d{21,}$/);
      expect(shard.SequenceNumberRange?.EndingSequenceNumber).toBeUndefined();
    }
    const description = pages[0]!.StreamDescription!;
    expect(description.StreamStatus).toBe('ENABLED');
    expect(description.StreamViewType).toBe('KEYS_ONLY');
    expect(description.TableName).toBe('Wide');
    expect(description.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }]);
    expect(description.CreationRequestDateTime).toBeInstanceOf(Date);
  });

  it('names the last shard of a full page even when nothing follows, as the service does', async () => {
    const { streamArn } = fake.addTable({ tableName: 'Even', stream: { shards: 200 } });
    const { shards, pages } = await describeAll(streamArn!);
    expect(pages.map((p) => p.StreamDescription?.Shards?.length)).toEqual([100, 100, 0]);
    expect(shards).toHaveLength(200);
  });

  it('honours a smaller Limit', async () => {
    const { streamArn } = fake.addTable({ tableName: 'Small', stream: { shards: 7 } });
    const { pages, shards } = await describeAll(streamArn!, 3);
    expect(pages.map((p) => p.StreamDescription?.Shards?.length)).toEqual([3, 3, 1]);
    expect(shards.map((s) => s.ShardId)).toEqual(fake.shardsOf(streamArn!).map((s) => s.shardId));
  });

  it('lists shards in a shuffled order when asked, children sometimes before parents', async () => {
    const { streamArn } = fake.addTable({ tableName: 'Tree', stream: { shards: 0 } });
    const lineage = fake.addLineage(streamArn!, { depth: 6, fanout: 2 });
    expect(lineage.shards).toHaveLength(63);
    expect(lineage.leaves).toHaveLength(32);
    fake.shuffleShards(streamArn!);
    const { shards } = await describeAll(streamArn!);
    const order = new Map(shards.map((s, i) => [s.ShardId!, i]));
    expect(shards.map((s) => s.ShardId).sort()).toEqual([...lineage.shards].sort());
    const childFirst = shards.filter((s) => s.ParentShardId && order.get(s.ParentShardId)! > order.get(s.ShardId!)!);
    expect(childFirst.length).toBeGreaterThan(0);
  });

  it('lists a child whose parent was trimmed away as a root, still naming the parent', async () => {
    const { streamArn } = fake.addTable({ tableName: 'Aged', stream: { shards: 1 } });
    const [root] = fake.shardsOf(streamArn!).map((s) => s.shardId);
    const children = fake.split(root!, 2);
    fake.dropShard(root!);
    const { shards } = await describeAll(streamArn!);
    expect(shards.map((s) => s.ShardId)).toEqual(children);
    expect(shards.every((s) => s.ParentShardId === root)).toBe(true);
  });

  it('filters to the children of a shard with ShardFilter CHILD_SHARDS', async () => {
    const { streamArn } = fake.addTable({ tableName: 'Split', stream: { shards: 2 } });
    const [a, b] = fake.shardsOf(streamArn!).map((s) => s.shardId);
    const aKids = fake.split(a!, 2);
    fake.split(b!, 3);
    const page = await clients.streams.send(new DescribeStreamCommand({
      StreamArn: streamArn,
      ShardFilter: { Type: 'CHILD_SHARDS', ShardId: a },
    }));
    expect(page.StreamDescription?.Shards?.map((s) => s.ShardId)).toEqual(aKids);
  });
});

describe('ListStreams paging', () => {
  it('filters by table and pages with ExclusiveStartStreamArn until LastEvaluatedStreamArn is absent', async () => {
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push(fake.addTable({ tableName: `T${i}`, stream: {} }).streamArn!);
    fake.addTable({ tableName: 'NoStream' });
    const seen: string[] = [];
    let start: string | undefined;
    let calls = 0;
    do {
      const page = await clients.streams.send(new ListStreamsCommand({ Limit: 2, ExclusiveStartStreamArn: start }));
      calls += 1;
      seen.push(...(page.Streams ?? []).map((s) => s.StreamArn!));
      start = page.LastEvaluatedStreamArn;
    } while (start);
    expect(seen).toEqual(made);
    expect(calls).toBe(3);

    const one = await clients.streams.send(new ListStreamsCommand({ TableName: 'T3' }));
    expect(one.Streams).toEqual([{ StreamArn: made[3], TableName: 'T3', StreamLabel: made[3]!.split('/stream/')[1] }]);
    expect(one.LastEvaluatedStreamArn).toBeUndefined();
    expect((await clients.streams.send(new ListStreamsCommand({ TableName: 'NoStream' }))).Streams).toEqual([]);
  });

  it('keeps disabled streams listed and drops deleted ones', async () => {
    const old = fake.addStream({ tableName: 'T' });
    const current = fake.addStream({ tableName: 'T' });
    const listed = await clients.streams.send(new ListStreamsCommand({ TableName: 'T' }));
    expect(listed.Streams?.map((s) => s.StreamArn)).toEqual([old, current]);
    fake.deleteStream(old);
    const after = await clients.streams.send(new ListStreamsCommand({ TableName: 'T' }));
    expect(after.Streams?.map((s) => s.StreamArn)).toEqual([current]);
  });
});
