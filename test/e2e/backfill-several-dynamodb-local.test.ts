import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BatchWriteItemCommand, CreateTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useDynamoDbLocal } from '../helpers/dynamodb-local.js';
import { tempDir } from '../helpers/temp-dir.js';
import { parseNdjson, startCli } from './export-helpers.js';

/** `--scan` of several tables at once: each table's own backfill, merged as several streams are. */

const local = useDynamoDbLocal();
const RECORDING_HANDLER = fileURLToPath(new URL('../fixtures/handlers/esm.mjs', import.meta.url));

interface Line {
  table: string;
  streamArn?: string;
  eventId: string;
  eventName: string;
  scan?: boolean;
  keys: { pk: string };
}

/** `count` items `<prefix>0`, `<prefix>1`, …, written in batches of 25. */
async function fill(table: string, prefix: string, count: number): Promise<void> {
  for (let start = 0; start < count; start += 25) {
    const items = Array.from({ length: Math.min(25, count - start) }, (_, i) => ({ PutRequest: { Item: { pk: { S: `${prefix}${start + i}` } } } }));
    await local.dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [table]: items } }));
  }
}

async function put(table: string, pk: string): Promise<void> {
  await local.dynamodb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk } } }));
}

const keysOf = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}${i}`).sort();

describe('--scan of several tables on DynamoDB Local', () => {
  it('export A B --scan: every item of both as a scanned INSERT of its table, then changes from both streams', async () => {
    const users = await local.createTableWithStream(local.tableName('users'));
    const orders = await local.createTableWithStream(local.tableName('orders'));
    await fill(users.tableName, 'u', 60);
    await fill(orders.tableName, 'o', 40);
    const running = startCli(['export', users.tableName, orders.tableName, '--scan', '--scan-segments', '3', '--follow', '--poll-interval', '100'], local.cliEnv());
    // Once both scans are delivered, a change to each table: it comes from that table's stream.
    const scannedCount = (): number => running.lines.filter((l) => l.includes('"scan":true')).length;
    const deadline = Date.now() + 30_000;
    while (scannedCount() < 100 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await put(users.tableName, 'u-after');
    await put(orders.tableName, 'o-after');
    await running.waitForLine((line) => line.includes('"u-after"'), 30_000);
    await running.waitForLine((line) => line.includes('"o-after"'), 30_000);
    running.child.kill('SIGINT');
    expect((await running.exited).code).toBe(130);

    const lines = parseNdjson<Line>(running.stdout());
    const scanned = lines.filter((l) => l.scan);
    for (const line of scanned) {
      expect(line.eventName).toBe('INSERT');
      expect(line.eventId).toMatch(/^scan-\d+$/);
      expect(line.streamArn).toBe(line.table === users.tableName ? users.streamArn : orders.streamArn);
    }
    expect(scanned.filter((l) => l.table === users.tableName).map((l) => l.keys.pk).sort()).toEqual(keysOf('u', 60));
    expect(scanned.filter((l) => l.table === orders.tableName).map((l) => l.keys.pk).sort()).toEqual(keysOf('o', 40));
    const after = lines.filter((l) => l.keys.pk.endsWith('-after'));
    expect(after.map((l) => [l.table, l.keys.pk, l.scan, l.streamArn]).sort()).toEqual([
      [orders.tableName, 'o-after', undefined, orders.streamArn],
      [users.tableName, 'u-after', undefined, users.streamArn],
    ]);
  }, 60_000);

  it('--checkpoint covers both backfills: stopped by -n part-way through the scans, a second run delivers the rest, each item once', async () => {
    const users = await local.createTableWithStream(local.tableName('cpu'));
    const orders = await local.createTableWithStream(local.tableName('cpo'));
    await fill(users.tableName, 'u', 60);
    await fill(orders.tableName, 'o', 60);
    const checkpoint = join(tempDir(), 'both.cp');
    // One item a Scan page: -n never cuts a page, so nothing delivered is scanned again.
    const env = local.cliEnv({ DDBSTREAM_SCAN_PAGE_SIZE: '1' });
    const exportBoth = (...extra: string[]) =>
      runCli(['export', users.tableName, orders.tableName, '--scan', '--scan-segments', '2', '--checkpoint', checkpoint, ...extra], { env, timeoutMs: 60_000 });

    const first = await exportBoth('-n', '50');
    expect(first.code, first.stderr).toBe(0);
    expect(parseNdjson<Line>(first.stdout)).toHaveLength(50);
    // Each table's part, its scan section among it, tied to its stream.
    const saved = JSON.parse(readFileSync(checkpoint, 'utf8')) as { version: number; streams: Record<string, { sections: { scan: { totalSegments: number; done: number[] } } }> };
    expect(saved.version).toBe(2);
    expect(Object.keys(saved.streams).sort()).toEqual([users.streamArn, orders.streamArn].sort());
    const doneSegments = Object.values(saved.streams).reduce((n, part) => n + part.sections.scan.done.length, 0);
    expect(doneSegments).toBeLessThan(4);
    for (const part of Object.values(saved.streams)) expect(part.sections.scan.totalSegments).toBe(2);

    await put(users.tableName, 'u-later');
    await put(orders.tableName, 'o-later');
    const second = await exportBoth();
    expect(second.code, second.stderr).toBe(0);
    const lines = [...parseNdjson<Line>(first.stdout), ...parseNdjson<Line>(second.stdout)];
    // An item written between the runs is scanned too if its segment is not done yet: at most once.
    const scanned = (table: string): string[] => lines.filter((l) => l.scan && l.table === table && !l.keys.pk.endsWith('-later')).map((l) => l.keys.pk).sort();
    expect(lines.filter((l) => l.scan && l.keys.pk.endsWith('-later')).length).toBeLessThanOrEqual(2);
    // Over both runs: every item of each table scanned exactly once.
    expect(scanned(users.tableName)).toEqual(keysOf('u', 60));
    expect(scanned(orders.tableName)).toEqual(keysOf('o', 60));
    // The stream parts too: no stream record twice, and the changes since reach the second run.
    const streamed = lines.filter((l) => !l.scan);
    expect(new Set(streamed.map((l) => l.eventId)).size).toBe(streamed.length);
    const later = parseNdjson<Line>(second.stdout).filter((l) => !l.scan && l.keys.pk.endsWith('-later'));
    expect(later.map((l) => l.table).sort()).toEqual([users.tableName, orders.tableName].sort());
    const done = JSON.parse(readFileSync(checkpoint, 'utf8')) as { streams: Record<string, { sections: { scan: { done: number[] } }; shards: object }> };
    for (const part of Object.values(done.streams)) {
      expect(part.sections.scan.done).toEqual([0, 1]);
      expect(Object.keys(part.shards).length).toBeGreaterThan(0);
    }

    // A third run scans nothing: the checkpoint is the streams' now.
    const third = await exportBoth();
    expect(third.code, third.stderr).toBe(0);
    expect(parseNdjson<Line>(third.stdout)).toEqual([]);
  }, 90_000);

  it('a table without a stream beside one with: its part is tied to the table, its items arrive, nothing follows', async () => {
    const plain = local.tableName('plain');
    await local.dynamodb.send(new CreateTableCommand({
      TableName: plain, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST',
    }));
    const orders = await local.createTableWithStream(local.tableName('with'));
    await fill(plain, 'p', 10);
    await fill(orders.tableName, 'o', 5);
    const checkpoint = join(tempDir(), 'mixed.cp');
    const result = await runCli(['export', plain, orders.tableName, '--scan', '--checkpoint', checkpoint], { env: local.cliEnv() });
    expect(result.code, result.stderr).toBe(0);
    const lines = parseNdjson<Line>(result.stdout);
    expect(lines.filter((l) => l.table === plain).map((l) => l.keys.pk).sort()).toEqual(keysOf('p', 10));
    expect(lines.filter((l) => l.table === plain).every((l) => l.scan && l.streamArn === undefined)).toBe(true);
    expect(lines.filter((l) => l.table === orders.tableName && l.scan)).toHaveLength(5);
    const saved = JSON.parse(readFileSync(checkpoint, 'utf8')) as { streams: Record<string, unknown> };
    expect(Object.keys(saved.streams).sort()).toEqual([`arn:aws:dynamodb:ddblocal:000000000000:table/${plain}`, orders.streamArn].sort());
  }, 60_000);

  it('replay A B --scan: one mapping per table, no batch mixes them, both tables\' items arrive', async () => {
    const users = await local.createTableWithStream(local.tableName('ru'));
    const orders = await local.createTableWithStream(local.tableName('ro'));
    await fill(users.tableName, 'u', 12);
    await fill(orders.tableName, 'o', 7);
    const log = join(tempDir(), 'calls.ndjson');
    const result = await runCli(
      ['replay', users.tableName, orders.tableName, '--scan', '--scan-segments', '2', '--handler', RECORDING_HANDLER, '--batch-size', '5'],
      { env: local.cliEnv({ HANDLER_LOG: log }), timeoutMs: 40_000 },
    );
    expect(result.code, result.stderr).toBe(0);
    const calls = existsSync(log)
      ? readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { event: { Records: Array<{ eventID: string; eventSourceARN: string; dynamodb: { Keys: { pk: { S: string } } } }> } })
      : [];
    for (const call of calls) expect(new Set(call.event.Records.map((r) => r.eventSourceARN)).size).toBe(1);
    const scannedOf = (arn: string): string[] => calls
      .filter((c) => c.event.Records[0]!.eventSourceARN === arn)
      .flatMap((c) => c.event.Records.filter((r) => r.eventID.startsWith('scan-')).map((r) => r.dynamodb.Keys.pk.S))
      .sort();
    expect(scannedOf(users.streamArn)).toEqual(keysOf('u', 12));
    expect(scannedOf(orders.streamArn)).toEqual(keysOf('o', 7));
    // A summary line per table, then the one for all.
    expect(result.stderr).toMatch(new RegExp(`replay: ${users.tableName}: \\d+ records: \\d+ handled`));
    expect(result.stderr).toMatch(new RegExp(`replay: ${orders.tableName}: \\d+ records: \\d+ handled`));
  }, 60_000);

  it('--scan --group with several streams is still refused: a group shares one stream', async () => {
    for (const command of [['export'], ['replay', '--handler', RECORDING_HANDLER]]) {
      const result = await runCli([command[0]!, 'Users', 'Orders', '--scan', '--group', 'both-copy', ...command.slice(1)], { env: local.cliEnv() });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe('ddbstream: --group shares one stream: start one group per stream.\n');
    }
  });
});
