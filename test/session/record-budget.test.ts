import { describe, expect, it } from 'vitest';
import type { StreamRecord } from '../../src/records/record.js';
import { RecordBudget, withinBudget } from '../../src/session/record-budget.js';
import type { SelectedBatch } from '../../src/stream/select-records.js';

function record(seq: number): StreamRecord {
  return {
    streamArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/T/stream/L', table: 'T', shardId: 's', sequenceNumber: String(seq),
    eventId: `e${seq}`, eventName: 'INSERT', eventVersion: '1.1', awsRegion: 'us-east-1', time: new Date(0), keys: {}, sizeBytes: 1,
  };
}

function batch(shardId: string, seqs: number[], end = false): SelectedBatch {
  const records = seqs.map(record);
  return { shardId, records, end, ...(seqs.length ? { through: String(seqs[seqs.length - 1]) } : {}), source: { shardId, records, end, caughtUp: false } };
}

describe('RecordBudget: -n shared by several streams', () => {
  it('passes pages whole while they fit, cuts the one that reaches the limit, then takes nothing', () => {
    const budget = new RecordBudget(5);
    expect(budget.take(batch('a', [1, 2]))?.records).toHaveLength(2);
    expect(budget.take(batch('b', [10, 11]))?.records).toHaveLength(2);
    const last = budget.take(batch('a', [3, 4, 5], true))!;
    // The cut page's shard is not finished, and its checkpoint stops at its last record.
    expect(last).toMatchObject({ shardId: 'a', end: false, through: '3' });
    expect(last.records.map((r) => r.sequenceNumber)).toEqual(['3']);
    expect(budget.spent).toBe(true);
    expect(budget.take(batch('b', [12]))).toBeUndefined();
  });

  it('a page that fills the budget exactly keeps its end', () => {
    const budget = new RecordBudget(2);
    expect(budget.take(batch('a', [1, 2], true))).toMatchObject({ end: true, through: '2' });
    expect(budget.spent).toBe(true);
  });

  it('without -n, never spent', () => {
    const budget = new RecordBudget(undefined);
    for (let i = 0; i < 100; i++) expect(budget.take(batch('a', [i]))).toBeDefined();
    expect(budget.spent).toBe(false);
  });

  it('withinBudget: each stream stops once the shared budget is spent; the stream that spent it says so', async () => {
    const budget = new RecordBudget(3);
    let spentBy = '';
    async function* source(shardId: string, ...lists: number[][]): AsyncGenerator<SelectedBatch> {
      for (const seqs of lists) yield batch(shardId, seqs);
    }
    const first = withinBudget(source('a', [1], [2], [3]), budget, () => (spentBy = 'a'));
    const second = withinBudget(source('b', [10, 11], [12]), budget, () => (spentBy = 'b'));
    const taken: string[] = [];
    taken.push(...(await first.next()).value!.records.map((r: StreamRecord) => r.sequenceNumber));
    expect(spentBy).toBe('');
    // b takes the last two: it says so before handing the page over.
    taken.push(...(await second.next()).value!.records.map((r: StreamRecord) => r.sequenceNumber));
    expect(spentBy).toBe('b');
    expect((await second.next()).done).toBe(true);
    expect((await first.next()).done).toBe(true);
    expect(taken).toEqual(['1', '10', '11']);
  });
});
