import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckpointStore } from '../../src/stream/checkpoint.js';
import { readStream } from '../../src/stream/reader.js';
import type { ShardBatch } from '../../src/stream/types.js';
import {
  closeAll,
  expectExactlyOnce,
  expectParentsFirst,
  followUntil,
  readAll,
  sequenceNumbers,
  setUp,
  storedSequenceNumbers,
  waitFor,
} from './harness.js';

const dirs: string[] = [];
afterEach(async () => {
  await closeAll();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function checkpointPath(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ddbstream-reader-'));
  dirs.push(dir);
  return join(dir, 'checkpoint.json');
}

describe('reader: start positions', () => {
  it('TRIM_HORIZON starts at the oldest record still kept', async () => {
    const h = await setUp(1);
    const shard = h.fake.shardsOf(h.streamArn)[0]!.shardId;
    h.fake.appendGenerated(shard, { count: 10 });
    h.fake.trimRecords(shard, 4);
    const batches = await readAll(h.options());
    expect(sequenceNumbers(batches)).toEqual(storedSequenceNumbers(h.fake, shard).slice(4));
  });

  it('LATEST gives only records written after the start, and skips closed shards', async () => {
    const h = await setUp();
    const [closed] = h.fake.addRootShards(h.streamArn, 1, { lazy: { count: 5 }, closed: true });
    const open = h.fake.addRootShards(h.streamArn, 2, { lazy: { count: 5 } });
    let written: string[] = [];
    const options = h.options({
      start: { type: 'LATEST' },
      onEvent: (event) => {
        if (event.type === 'shard-start') expect(event.from).toBe('LATEST');
      },
    });
    const reading = followUntil(options, (all) => written.length > 0 && sequenceNumbers(all).length >= written.length);
    // Write only once both open shards hold a LATEST iterator.
    await waitFor(() => h.fake.log.count({ action: 'GetRecords', outcome: 'ok' }) >= 2, 5_000, 'first polls');
    written = open.flatMap((id) => [...Array(3)].map((_, i) => h.fake.appendRecords(id, [{ newImage: { pk: { S: `new-${id}-${i}` } } }])[0]!));
    const batches = await reading;
    expect(sequenceNumbers(batches).sort()).toEqual([...written].sort());
    expect(h.fake.log.count({ action: 'GetShardIterator', shardId: closed })).toBe(0);
  });

  it('LATEST does not lose what reaches the child of a parent still open at the start', async () => {
    const h = await setUp(1);
    const parent = h.fake.shardsOf(h.streamArn)[0]!.shardId;
    h.fake.appendGenerated(parent, { count: 5 });
    // A split the first DescribeStream only half shows: children listed, the parent still open.
    const children = h.fake.split(parent, 1, { race: 1 });
    let written: string[] = [];
    const reading = followUntil(
      h.options({ start: { type: 'LATEST' }, describeIntervalMs: 300 }),
      (all) => written.length > 0 && sequenceNumbers(all).length >= written.length,
    );
    await waitFor(() => h.fake.log.count({ action: 'GetRecords', shardId: parent, outcome: 'ok' }) >= 1, 5_000, 'parent polled');
    // Written after the start, so a LATEST reader must deliver them.
    written = [1, 2, 3].map((i) => h.fake.appendRecords(children[0]!, [{ newImage: { pk: { S: `after-${i}` } } }])[0]!);
    const batches = await reading;
    expect(sequenceNumbers(batches, children[0])).toEqual(written);
    expect(sequenceNumbers(batches, parent)).toEqual([]);
  });

  it('AT_SEQUENCE_NUMBER and AFTER_SEQUENCE_NUMBER start at or after a record, skipping earlier shards', async () => {
    const h = await setUp(1);
    const parent = h.fake.shardsOf(h.streamArn)[0]!.shardId;
    h.fake.appendGenerated(parent, { count: 10 });
    const [child] = h.fake.split(parent, 1);
    h.fake.appendGenerated(child!, { count: 4 });
    const parentSeqs = storedSequenceNumbers(h.fake, parent);
    const childSeqs = storedSequenceNumbers(h.fake, child!);

    const at = await readAll(h.options({ start: { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: parentSeqs[6]! } }));
    expect(sequenceNumbers(at)).toEqual([...parentSeqs.slice(6), ...childSeqs]);
    const after = await readAll(h.options({ start: { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: parentSeqs[6]! } }));
    expect(sequenceNumbers(after)).toEqual([...parentSeqs.slice(7), ...childSeqs]);
    expectParentsFirst(h.fake, after);
    // A position in the child: the closed parent lies wholly before it and is not opened.
    h.fake.log.clear();
    const inChild = await readAll(h.options({ start: { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: childSeqs[1]! } }));
    expect(sequenceNumbers(inChild)).toEqual(childSeqs.slice(2));
    expect(h.fake.log.count({ action: 'GetShardIterator', shardId: parent })).toBe(0);
  });

  it('a sequence number of one shard does not break the other open shards', async () => {
    const h = await setUp();
    const shards = h.fake.addRootShards(h.streamArn, 3, { lazy: { count: 6 } });
    const middle = storedSequenceNumbers(h.fake, shards[1]!);
    const batches = await readAll(h.options({ start: { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: middle[2]! } }));
    expect(sequenceNumbers(batches, shards[1])).toEqual(middle.slice(2));
    // The shard created later holds only later records: read whole.
    expect(sequenceNumbers(batches, shards[2])).toEqual(storedSequenceNumbers(h.fake, shards[2]!));
    // Numbers are ordered across shards, so nothing of the first shard comes at or after it.
    expect(sequenceNumbers(batches, shards[0])).toEqual([]);
  });

  it('resumes from a checkpoint: finished shards skipped, AFTER the saved number, missing shards reported', async () => {
    const h = await setUp();
    const lineage = h.fake.addLineage(h.streamArn, { depth: 2, fanout: 2, recordsPerShard: 6 });
    const [root, childA, childB] = lineage.shards as [string, string, string];
    const other = h.fake.addRootShards(h.streamArn, 1, { lazy: { count: 4 } })[0]!;
    const path = await checkpointPath();
    const saving = await CheckpointStore.open(path, h.streamArn);
    saving.finish(root);
    saving.advance(childA, storedSequenceNumbers(h.fake, childA)[2]!);
    saving.advance('shardId-00000001700000000000-deadbeef', '300000000000000000010');
    saving.finish('shardId-00000001600000000000-feedface');
    await saving.save();

    const checkpoint = await CheckpointStore.open(path, h.streamArn);
    const batches = await readAll(h.options({ checkpoint }));
    expect(h.fake.log.count({ action: 'GetShardIterator', shardId: root })).toBe(0);
    expect(h.fake.log.entries({ action: 'GetShardIterator', shardId: childA })[0]!.params).toMatchObject({
      ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
      SequenceNumber: storedSequenceNumbers(h.fake, childA)[2],
    });
    expect(sequenceNumbers(batches, childA)).toEqual(storedSequenceNumbers(h.fake, childA).slice(3));
    // Shards the checkpoint never reached are read whole.
    expect(sequenceNumbers(batches, childB)).toEqual(storedSequenceNumbers(h.fake, childB));
    expect(sequenceNumbers(batches, other)).toEqual(storedSequenceNumbers(h.fake, other));
    // A shard with unread records that has gone is worth a warning; a finished one that aged out is not.
    expect(h.events.filter((e) => e.type === 'checkpoint-shard-missing')).toEqual([
      { type: 'checkpoint-shard-missing', shardId: 'shardId-00000001700000000000-deadbeef' },
    ]);
  });

  it('resumes a lineage from a checkpoint taken in the middle of it: every record once over both runs', async () => {
    const h = await setUp();
    const lineage = h.fake.addLineage(h.streamArn, { depth: 4, fanout: 2, recordsPerShard: 5, closeLeaves: true });
    const path = await checkpointPath();
    const first = await CheckpointStore.open(path, h.streamArn);
    const firstRun: ShardBatch[] = [];
    // Stop the first run after a third of the records, keeping a checkpoint as a consumer would.
    const controller = new AbortController();
    const total = lineage.shards.length * 5;
    for await (const batch of readStream(h.options({ pageSize: 2, signal: controller.signal }))) {
      firstRun.push(batch);
      const last = batch.records.at(-1);
      if (last) first.advance(batch.shardId, last.sequenceNumber);
      if (batch.end) first.finish(batch.shardId);
      if (sequenceNumbers(firstRun).length >= total / 3) controller.abort();
    }
    await first.save();
    const batches = await readAll(h.options({ checkpoint: await CheckpointStore.open(path, h.streamArn) }));
    const both = [...firstRun, ...batches];
    expectExactlyOnce(h.fake, both, lineage.shards);
    expectParentsFirst(h.fake, both);
    // The second run began where the first stopped: it read no shard the first one finished.
    const finished = new Set(firstRun.filter((b) => b.end).map((b) => b.shardId));
    expect(finished.size).toBeGreaterThan(0);
    expect(batches.filter((b) => finished.has(b.shardId))).toEqual([]);
  });
});
