import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { assignedScan, type AssignedScanPage, type SegmentStop, type SegmentTurn } from '../../src/scan/assigned-scan.js';
import { decodeSegmentPosition } from '../../src/scan/segment-position.js';
import { DEFAULT_RETRY } from '../../src/stream/retry.js';
import { useDynamoDbLocal } from '../helpers/dynamodb-local.js';

const local = useDynamoDbLocal();

async function tableOf(count: number): Promise<string> {
  const { tableName } = await local.createTableWithStream(local.tableName('assigned'));
  for (let start = 0; start < count; start += 25) {
    const items = Array.from({ length: Math.min(25, count - start) }, (_, i) => ({ PutRequest: { Item: { pk: { S: `k${start + i}` } } } }));
    await local.dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: items } }));
  }
  return tableName;
}

/** An assignment that hands out `turns` in order and says a segment is held while `holds` does. */
function assignment(turns: SegmentTurn[], holds: (segment: number) => boolean = () => true) {
  const stops: ({ segment: number } & SegmentStop)[] = [];
  return {
    stops,
    assignment: {
      next: () => Promise.resolve(turns.shift()),
      holds,
      stopped: (segment: number, stop: SegmentStop) => {
        stops.push({ segment, ...stop });
        return Promise.resolve();
      },
    },
  };
}

async function scan(table: string, a: ReturnType<typeof assignment>['assignment']): Promise<AssignedScanPage[]> {
  const pages: AssignedScanPage[] = [];
  for await (const page of assignedScan({
    client: local.dynamodb, table, totalSegments: 3, consistent: true, concurrency: 2, retry: DEFAULT_RETRY,
    signal: new AbortController().signal, pageSize: 10, assignment: a,
  })) {
    pages.push(page);
  }
  return pages;
}

describe('assignedScan on DynamoDB Local', () => {
  it('reads the segments it is handed, each to its end, numbering items and saying where each page leaves its segment', async () => {
    const table = await tableOf(95);
    const { stops, assignment: a } = assignment([0, 1, 2].map((segment) => ({ segment, from: { items: 0 } })));
    const pages = await scan(table, a);
    const keys = pages.flatMap((p) => p.items.map((item) => item.pk!.S!));
    expect(new Set(keys).size).toBe(95);
    expect(keys).toHaveLength(95);
    for (let segment = 0; segment < 3; segment++) {
      const own = pages.filter((p) => p.segment === segment);
      let items = 0;
      for (const page of own) {
        expect(page.firstItem).toBe(items + 1);
        items += page.items.length;
        if (page !== own.at(-1)) expect(decodeSegmentPosition(page.position!)).toEqual({ items, after: page.next });
      }
      expect(own.at(-1)!.position).toBeUndefined();
    }
    expect(stops.sort((x, y) => x.segment - y.segment)).toEqual([0, 1, 2].map((segment) => ({ segment, how: 'end' })));
  });

  it('leaves a segment that is no longer its own where its last page got to; read on from there, nothing is missed or repeated', async () => {
    const table = await tableOf(60);
    // Asked before every page: the segment is taken away after two.
    let asked = 0;
    const first = assignment([{ segment: 0, from: { items: 0 } }], () => ++asked <= 2);
    const before = await scan(table, first.assignment);
    expect(before).toHaveLength(2);
    const stop = first.stops[0]!;
    expect(stop).toEqual({ segment: 0, how: 'lost', handed: before[1]!.position });
    const from = decodeSegmentPosition(stop.how === 'lost' ? stop.handed! : '')!;
    const second = assignment([{ segment: 0, from, at: stop.how === 'lost' ? stop.handed! : '' }]);
    const after = await scan(table, second.assignment);
    expect(after[0]!.firstItem).toBe(21);
    const segmentKeys = [...before, ...after].flatMap((p) => p.items.map((item) => item.pk!.S!));
    const whole = await scan(table, assignment([{ segment: 0, from: { items: 0 } }]).assignment);
    expect(segmentKeys).toEqual(whole.flatMap((p) => p.items.map((item) => item.pk!.S!)));
    expect(second.stops).toEqual([{ segment: 0, how: 'end' }]);
  });
});
