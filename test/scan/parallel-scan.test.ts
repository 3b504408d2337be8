import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { parallelScan, type ScanPage } from '../../src/scan/parallel-scan.js';
import { DEFAULT_RETRY } from '../../src/stream/retry.js';
import { useDynamoDbLocal } from '../helpers/dynamodb-local.js';

const local = useDynamoDbLocal();

async function tableOf(count: number): Promise<string> {
  const { tableName } = await local.createTableWithStream(local.tableName('scan'));
  for (let start = 0; start < count; start += 25) {
    const items = Array.from({ length: Math.min(25, count - start) }, (_, i) => ({ PutRequest: { Item: { pk: { S: `k${start + i}` } } } }));
    await local.dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: items } }));
  }
  return tableName;
}

async function collect(pages: AsyncIterable<ScanPage>): Promise<ScanPage[]> {
  const out: ScanPage[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe('parallelScan on DynamoDB Local', () => {
  it('reads every item once across segments, each segment page by page to its end', async () => {
    const table = await tableOf(230);
    const pages = await collect(parallelScan({
      client: local.dynamodb, table, totalSegments: 5, segments: [0, 1, 2, 3, 4].map((segment) => ({ segment })),
      consistent: true, concurrency: 2, retry: DEFAULT_RETRY, signal: new AbortController().signal, pageSize: 20,
    }));
    const keys = pages.flatMap((p) => p.items.map((item) => item.pk!.S!));
    expect(keys).toHaveLength(230);
    expect(new Set(keys).size).toBe(230);
    for (let segment = 0; segment < 5; segment++) {
      const own = pages.filter((p) => p.segment === segment);
      // Only the last page of a segment has no key to continue after.
      expect(own.at(-1)!.next).toBeUndefined();
      expect(own.slice(0, -1).every((p) => p.next !== undefined)).toBe(true);
    }
  });

  it('continues a segment after a saved key, and reads nothing for no segments', async () => {
    const table = await tableOf(50);
    const base = { client: local.dynamodb, table, totalSegments: 1, consistent: false, concurrency: 1, retry: DEFAULT_RETRY, signal: new AbortController().signal, pageSize: 20 };
    const first = await collect(parallelScan({ ...base, segments: [{ segment: 0 }] }));
    const resumed = await collect(parallelScan({ ...base, segments: [{ segment: 0, startKey: first[0]!.next! }] }));
    expect(resumed.flatMap((p) => p.items)).toEqual(first.slice(1).flatMap((p) => p.items));
    expect(await collect(parallelScan({ ...base, segments: [] }))).toEqual([]);
  });

  it('stops when aborted, without reading the rest', async () => {
    const table = await tableOf(100);
    const controller = new AbortController();
    const pages: ScanPage[] = [];
    for await (const page of parallelScan({
      client: local.dynamodb, table, totalSegments: 1, segments: [{ segment: 0 }], consistent: false, concurrency: 1,
      retry: DEFAULT_RETRY, signal: controller.signal, pageSize: 10,
    })) {
      pages.push(page);
      controller.abort();
    }
    expect(pages).toHaveLength(1);
  });
});
