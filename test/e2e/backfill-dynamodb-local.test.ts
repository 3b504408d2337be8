import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { runCli } from '../helpers/cli.js';
import { useDynamoDbLocal } from '../helpers/dynamodb-local.js';
import { parseNdjson, startCli } from './export-helpers.js';

const local = useDynamoDbLocal();
const HANDLER = fileURLToPath(new URL('../fixtures/handlers/esm.mjs', import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ddbstream-backfill-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Line {
  table: string;
  streamArn?: string;
  shardId?: string;
  sequenceNumber?: string;
  eventId: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  scan?: boolean;
  keys: { pk: string };
  newImage?: Record<string, unknown>;
}

const PAD = 'x'.repeat(400);

/** `count` items pk=item-0…, written in batches of 25. */
async function fill(table: string, count: number, from = 0): Promise<void> {
  for (let start = from; start < from + count; start += 25) {
    const items = Array.from({ length: Math.min(25, from + count - start) }, (_, i) => ({
      PutRequest: { Item: { pk: { S: `item-${start + i}` }, n: { N: '0' }, pad: { S: PAD } } },
    }));
    await local.dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [table]: items } }));
  }
}

/** The table as it is now: key → item (unmarshalled the way export lines are, for the attributes used here). */
async function tableState(table: string): Promise<Map<string, Record<string, unknown>>> {
  const state = new Map<string, Record<string, unknown>>();
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await local.dynamodb.send(new ScanCommand({ TableName: table, ConsistentRead: true, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }));
    for (const item of page.Items ?? []) state.set(item.pk!.S!, { pk: item.pk!.S, n: Number(item.n!.N), pad: item.pad!.S });
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return state;
}

/** What a consumer ends with that applies every line in order: INSERT/MODIFY put the new image, REMOVE deletes. */
function applyInOrder(lines: Line[]): Map<string, Record<string, unknown>> {
  const state = new Map<string, Record<string, unknown>>();
  for (const line of lines) {
    if (line.eventName === 'REMOVE') state.delete(line.keys.pk);
    else state.set(line.keys.pk, { ...line.newImage!, n: Number(line.newImage!.n) });
  }
  return state;
}

describe('export --scan on DynamoDB Local', () => {
  it('with writers running during the scan, a consumer applying the lines in order ends with the table\'s final state', async () => {
    const { tableName: table } = await local.createTableWithStream(local.tableName('backfill'));
    await fill(table, 1500);
    // Writers change the table before, during and after the scan: updates, deletes, new items.
    let writing = true;
    let writes = 0;
    const writer = async (id: number): Promise<void> => {
      let i = 0;
      while (writing) {
        const key = { pk: { S: `item-${(id * 7919 + i * 104729) % 1700}` } };
        const kind = i % 5;
        if (kind === 3) await local.dynamodb.send(new DeleteItemCommand({ TableName: table, Key: key }));
        else if (kind === 4) await local.dynamodb.send(new PutItemCommand({ TableName: table, Item: { ...key, n: { N: String(1000 + i) }, pad: { S: PAD } } }));
        else {
          await local.dynamodb.send(new UpdateItemCommand({
            TableName: table, Key: key, UpdateExpression: 'SET #n = :i, #pad = :pad',
            ExpressionAttributeNames: { '#n': 'n', '#pad': 'pad' },
            ExpressionAttributeValues: { ':i': { N: String(i) }, ':pad': { S: PAD } },
          }));
        }
        writes++;
        i++;
      }
    };
    const writers = [0, 1, 2].map(writer);
    await new Promise((r) => setTimeout(r, 300));
    const writesBefore = writes;
    const running = startCli(['export', table, '--scan', '--scan-segments', '4', '--follow'], local.cliEnv());
    // The first stream line comes only after the scan: the writers ran through all of it.
    await running.waitForLine((line) => !line.includes('"scan":true'), 30_000);
    writing = false;
    await Promise.all(writers);
    expect(writes - writesBefore).toBeGreaterThan(20);
    await local.dynamodb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'sentinel' }, n: { N: '1' }, pad: { S: PAD } } }));
    await running.waitForLine((line) => line.includes('"sentinel"'), 30_000);
    running.child.kill('SIGINT');
    const exited = await running.exited;
    expect(exited.code).toBe(130);

    const lines = parseNdjson<Line>(running.stdout());
    const scanned = lines.filter((l) => l.scan);
    const streamed = lines.filter((l) => !l.scan);
    // Every scanned line comes first and is marked: an INSERT with no shard or sequence number.
    expect(lines.findIndex((l) => !l.scan)).toBe(scanned.length);
    expect(scanned.length).toBeGreaterThan(1000);
    for (const line of scanned) {
      expect(line.eventName).toBe('INSERT');
      expect(line.shardId).toBeUndefined();
      expect(line.sequenceNumber).toBeUndefined();
      expect(line.eventId).toMatch(/^scan-\d+$/);
    }
    expect(new Set(scanned.map((l) => l.keys.pk)).size).toBe(scanned.length);
    expect(streamed.length).toBeGreaterThan(0);
    expect(applyInOrder(lines)).toEqual(await tableState(table));
  }, 90_000);

  it('resumes an interrupted scan by segment from the checkpoint, then carries on with the stream', async () => {
    const { tableName: table } = await local.createTableWithStream(local.tableName('resume'));
    await fill(table, 400);
    const checkpoint = join(dir, `${table}.cp`);
    const first = await runCli(['export', table, '--scan', '--scan-segments', '4', '-n', '150', '--checkpoint', checkpoint], { env: local.cliEnv() });
    expect(first.code).toBe(0);
    const saved = JSON.parse(await readFile(checkpoint, 'utf8')) as { sections: { scan: { totalSegments: number; done: number[]; next: Record<string, unknown> } } };
    expect(saved.sections.scan.totalSegments).toBe(4);
    expect(saved.sections.scan.done.length).toBeGreaterThan(0);
    expect(saved.sections.scan.done.length).toBeLessThan(4);

    await local.dynamodb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'later' }, n: { N: '1' }, pad: { S: PAD } } }));
    const second = await runCli(['export', table, '--scan', '--checkpoint', checkpoint], { env: local.cliEnv() });
    expect(second.code).toBe(0);
    const firstLines = parseNdjson<Line>(first.stdout);
    const secondLines = parseNdjson<Line>(second.stdout);
    const keys = new Set([...firstLines, ...secondLines].filter((l) => l.scan).map((l) => l.keys.pk));
    for (let i = 0; i < 400; i++) expect(keys.has(`item-${i}`)).toBe(true);
    // Only what the first run had not delivered is scanned again (a segment restarts at its last delivered page).
    expect(secondLines.filter((l) => l.scan).length).toBeLessThan(401);
    expect(secondLines.some((l) => !l.scan && l.keys.pk === 'later')).toBe(true);
    const done = JSON.parse(await readFile(checkpoint, 'utf8')) as { sections: { scan: { done: number[] } }; shards: Record<string, unknown> };
    expect(done.sections.scan.done).toEqual([0, 1, 2, 3]);
    expect(Object.keys(done.shards).length).toBeGreaterThan(0);

    // A third run scans nothing: the checkpoint is the stream's now.
    const third = await runCli(['export', table, '--scan', '--checkpoint', checkpoint], { env: local.cliEnv() });
    expect(third.code).toBe(0);
    expect(parseNdjson<Line>(third.stdout).filter((l) => l.scan)).toEqual([]);
  }, 60_000);

  it('exports a table without a stream: its items, then nothing', async () => {
    const table = local.tableName('nostream');
    await local.dynamodb.send(new CreateTableCommand({
      TableName: table, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST',
    }));
    await fill(table, 30);
    const result = await runCli(['export', table, '--scan', '--stats'], { env: local.cliEnv() });
    expect(result.code).toBe(0);
    const lines = parseNdjson<Line>(result.stdout);
    expect(lines).toHaveLength(30);
    expect(lines.every((l) => l.scan && l.streamArn === undefined)).toBe(true);
    const stats = JSON.parse(result.stderr.trim().split('\n').at(-1)!) as { records: number; shards: Record<string, number> };
    expect(stats).toMatchObject({ records: 30, shards: { scan: 30 } });
  });

  it('--raw marks scanned records the Lambda way, keys only on a KEYS_ONLY stream; filters and -n apply to them', async () => {
    const { tableName: table, streamArn } = await local.createTableWithStream(local.tableName('raw'), 'KEYS_ONLY');
    await fill(table, 60);
    const result = await runCli(['export', table, '--scan', '--raw', '--scan-segments', '3', '--key', 'pk=item-7'], { env: local.cliEnv() });
    expect(result.code).toBe(0);
    const all7 = parseNdjson<{ eventID: string; eventName: string; eventSourceARN: string; dynamodb: Record<string, unknown> }>(result.stdout);
    // The scanned item, then its INSERT from the stream (written before the scan, inside the margin).
    const records = all7.filter((r) => r.eventID.startsWith('scan-'));
    expect(records).toHaveLength(1);
    expect(all7.every((r) => (r.dynamodb.Keys as { pk: { S: string } }).pk.S === 'item-7')).toBe(true);
    expect(records[0]!.eventID).toMatch(/^scan-/);
    expect(records[0]!.eventName).toBe('INSERT');
    expect(records[0]!.eventSourceARN).toBe(streamArn);
    expect(records[0]!.dynamodb).toMatchObject({ Keys: { pk: { S: 'item-7' } }, StreamViewType: 'KEYS_ONLY' });
    expect(records[0]!.dynamodb.NewImage).toBeUndefined();

    const all = await runCli(['export', table, '--scan', '--raw', '--scan-segments', '3', '-n', '40'], { env: local.cliEnv() });
    const sequences = parseNdjson<{ dynamodb: { SequenceNumber: string } }>(all.stdout).map((r) => BigInt(r.dynamodb.SequenceNumber));
    expect(sequences).toHaveLength(40);
    expect(new Set(sequences).size).toBe(40);
  });
});

describe('replay --scan on DynamoDB Local', () => {
  it('hands the scanned items to the handler as INSERTs, then the stream', async () => {
    const { tableName: table } = await local.createTableWithStream(local.tableName('replay'));
    await fill(table, 40);
    const log = join(dir, `${table}.log`);
    const result = await runCli(['replay', table, '--handler', HANDLER, '--scan', '--scan-segments', '2', '--batch-size', '10'], {
      env: local.cliEnv({ HANDLER_LOG: log }), timeoutMs: 40_000,
    });
    expect(result.code).toBe(0);
    const calls = (await readFile(log, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { event: { Records: { eventID: string; dynamodb: { Keys: { pk: { S: string } } } }[] } });
    const records = calls.flatMap((c) => c.event.Records);
    const scanned = records.filter((r) => r.eventID.startsWith('scan-'));
    expect(new Set(scanned.map((r) => r.dynamodb.Keys.pk.S)).size).toBe(40);
    // The items were written before the scan: the stream part delivers their INSERTs again (at least once).
    expect(records.length).toBeGreaterThan(40);
  }, 60_000);
});
