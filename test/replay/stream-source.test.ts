import { describe, expect, it } from 'vitest';
import { replayPages } from '../../src/replay/stream-source.js';
import type { SelectedBatch } from '../../src/stream/select-records.js';
import { fromLambdaRecord } from '../../src/records/lambda-record.js';
import type { ShardBatch } from '../../src/stream/types.js';
import { makeRecord, seqOf } from './make-records.js';

describe('stream pages', () => {
  const stream = (shardId: string, seqs: number[]) =>
    seqs.map((n) => fromLambdaRecord(makeRecord(n, `k${n}`, { time: 1_700_000_000 + n }), shardId));

  async function collect(batches: SelectedBatch[]) {
    async function* source(): AsyncGenerator<SelectedBatch> {
      yield* batches;
    }
    const out = [];
    for await (const page of replayPages(source())) out.push(page);
    return out;
  }

  it('turns the session\'s pages into Lambda records, with how far each page accounts for and what it dropped', async () => {
    const all = stream('a', [1, 2, 3, 4]);
    const source: ShardBatch = { shardId: 'a', records: all, end: true, caughtUp: true };
    const pages = await collect([
      { shardId: 'a', records: [all[1]!], through: all[2]!.sequenceNumber, end: false, source },
      { shardId: 'a', records: [], end: true, source: { ...source, records: [] } },
    ]);
    expect(pages).toEqual([
      { shardId: 'a', records: [makeRecord(2, 'k2', { time: 1_700_000_002 })], end: false, caughtUp: true, through: seqOf(3), skipped: 2 },
      { shardId: 'a', records: [], end: true, caughtUp: true, skipped: 0 },
    ]);
  });
});
