import { afterEach, describe, expect, it } from 'vitest';
import { readStream } from '../../src/stream/reader.js';
import { startFakeStreams, syntheticRecords, type FakeStreams } from '../fake-streams/index.js';
import { sdkClients } from '../fake-streams/sdk-clients.js';

let fake: FakeStreams | undefined;
let clients: ReturnType<typeof sdkClients> | undefined;

afterEach(async () => {
  clients?.destroy();
  await fake?.close();
  clients = undefined;
  fake = undefined;
});

describe('reader: children of a finished shard', () => {
  it('starts children listed already without waiting for another DescribeStream', async () => {
    fake = await startFakeStreams();
    clients = sdkClients(fake.endpoint);
    const { streamArn } = fake.addTable({ tableName: 'T', stream: { shards: 0 } });
    const lineage = fake.addLineage(streamArn!, {
      depth: 3,
      fanout: 2,
      recordsPerShard: 2,
      generate: syntheticRecords(),
      closeLeaves: true,
    });
    // A slow DescribeStream makes waiting for one before the children stand out in the log.
    fake.faults.setLatency(300, { actions: ['DescribeStream'] });

    const seen: string[] = [];
    for await (const batch of readStream({ client: clients.streams, streamArn: streamArn!, table: 'T', start: { type: 'TRIM_HORIZON' }, follow: false })) {
      for (const record of batch.records) seen.push(record.shardId);
    }
    expect(seen).toHaveLength(lineage.shards.length * 2);

    const log = fake.log;
    const describes = log.entries({ action: 'DescribeStream' });
    for (const shard of fake.shardsOf(streamArn!).filter((s) => s.parentShardId)) {
      const parentEnd = log.entries({ action: 'GetRecords', shardId: shard.parentShardId! }).find((e) => e.shardEnd)!;
      const childStart = log.entries({ action: 'GetRecords', shardId: shard.shardId })[0]!;
      const describeAfterParent = describes.find((d) => d.startedAt >= parentEnd.endedAt!);
      expect(childStart.startedAt).toBeGreaterThanOrEqual(parentEnd.endedAt!);
      // The reader still describes after a shard ends (to find children not listed yet)...
      expect(describeAfterParent).toBeDefined();
      // ...but the listed children are already under way by the time that answer comes.
      expect(childStart.startedAt).toBeLessThan(describeAfterParent!.endedAt!);
      // Their iterators were taken while the parent was read: no call between its end and theirs.
      const childOpen = log.entries({ action: 'GetShardIterator', shardId: shard.shardId })[0]!;
      expect(childOpen.startedAt).toBeLessThan(parentEnd.endedAt!);
    }
  });
});
