import { describe, expect, it } from 'vitest';
import type { AwsClients } from '../../src/aws/clients.js';
import { parseReadingOptions } from '../../src/options/reading-options.js';
import type { StreamRecord } from '../../src/records/record.js';
import { mergePages } from '../../src/session/merged-pages.js';
import type { PageSession } from '../../src/session/reading-session.js';
import { commitMark, type CommitMark, type SelectedBatch } from '../../src/stream/select-records.js';

function record(table: string, shardId: string, seq: number): StreamRecord {
  return {
    streamArn: '', table, shardId, sequenceNumber: String(seq), eventId: `e${seq}`, eventName: 'INSERT', eventVersion: '1.1',
    awsRegion: 'us-east-1', time: new Date(0), keys: {}, sizeBytes: 1, scan: true,
  };
}

function page(table: string, shardId: string, seqs: number[], end: boolean): SelectedBatch {
  const records = seqs.map((seq) => record(table, shardId, seq));
  return { shardId, records, end, through: String(seqs[seqs.length - 1]), source: { shardId, records, end, caughtUp: true } };
}

/** A session whose pages are given, and that notes the checkpoint marks it gets back. */
function session(pages: SelectedBatch[]): PageSession & { marks: CommitMark[]; closed: boolean } {
  const fake = {
    clients: {} as AwsClients,
    reading: parseReadingOptions({}, new Date()),
    marks: [] as CommitMark[],
    closed: false,
    async *read() {
      for (const p of pages) yield p;
    },
    async commit(mark: CommitMark) {
      fake.marks.push(commitMark(mark));
    },
    async close() {
      fake.closed = true;
    },
  };
  return fake;
}

async function readAll(pages: AsyncIterable<SelectedBatch>): Promise<SelectedBatch[]> {
  const all: SelectedBatch[] = [];
  for await (const p of pages) all.push(p);
  return all;
}

const settings = { follow: false, signal: new AbortController().signal };

describe('mergePages: several sessions as one run of pages', () => {
  it('sends each page\'s checkpoint mark back to its own session, though both have a shard of the same name', async () => {
    const users = session([page('Users', 'scan-segment-0', [1, 2], false), page('Users', 'scan-segment-0', [3], true)]);
    const orders = session([page('Orders', 'scan-segment-0', [1], true)]);
    const merged = mergePages([users, orders], ['Users', 'Orders'], parseReadingOptions({}, new Date()));
    const pages = await readAll(merged.read(settings));
    expect(pages.flatMap((p) => p.records.map((r) => `${r.table}:${r.sequenceNumber}`)).sort()).toEqual(['Orders:1', 'Users:1', 'Users:2', 'Users:3']);
    // The records keep their own shard.
    expect(pages.every((p) => p.records.every((r) => r.shardId === 'scan-segment-0'))).toBe(true);
    for (const p of pages) await merged.commit(commitMark(p));
    expect(users.marks).toEqual([
      { shardId: 'scan-segment-0', through: '2', end: false },
      { shardId: 'scan-segment-0', through: '3', end: true },
    ]);
    expect(orders.marks).toEqual([{ shardId: 'scan-segment-0', through: '1', end: true }]);
    expect(merged.progress().map((p) => [p.name, p.records])).toEqual([['Users', 3], ['Orders', 1]]);
    await merged.close();
    expect(users.closed && orders.closed).toBe(true);
  });

  it('-n counts the records of all sessions; the page that reaches it is cut and its mark stops at its last record', async () => {
    const users = session([page('Users', 'scan-segment-0', [1, 2, 3], true)]);
    const orders = session([page('Orders', 'scan-segment-1', [7, 8, 9], true)]);
    const merged = mergePages([users, orders], ['Users', 'Orders'], parseReadingOptions({ maxRecords: '4' }, new Date()));
    const pages = await readAll(merged.read(settings));
    expect(pages.reduce((n, p) => n + p.records.length, 0)).toBe(4);
    for (const p of pages) await merged.commit(commitMark(p));
    const marks = [...users.marks, ...orders.marks];
    expect(marks.filter((m) => m.end)).toHaveLength(1);
    expect(marks.find((m) => !m.end)?.through).toBe(pages[1]!.records[0]!.sequenceNumber);
  });
});
