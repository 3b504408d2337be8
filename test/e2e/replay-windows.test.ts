import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeStreams, type FakeStreams } from '../fake-streams/index.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { useDynamoDbLocal } from '../helpers/dynamodb-local.js';
import { tempDir } from '../helpers/temp-dir.js';
import { writeNdjson } from '../replay/input-fixture.js';
import { makeRecord } from '../replay/make-records.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/handlers/', import.meta.url));
const WINDOW_COUNT = path.join(FIXTURES, 'typed/window-count.ts');
/** A whole minute. */
const T = 1_700_000_040;
const local = useDynamoDbLocal();

interface Closed {
  shardId: string;
  window: { start: string; end: string };
  counts: Record<string, number>;
  early: boolean;
}
const closedWindows = (log: string): Closed[] =>
  existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Closed) : [];

describe('replay --tumbling-window', () => {
  it('--input: windows by the records\' own times; the README\'s handler counts per key per window', async () => {
    const dir = tempDir();
    const keys = ['a', 'b', 'a', 'a', 'b', 'c'];
    const times = [0, 10, 30, 59, 61, 119];
    const input = writeNdjson(dir, 'records.ndjson', keys.map((key, i) => makeRecord(i + 1, key, { time: T + times[i]! })));
    const log = path.join(dir, 'windows.ndjson');
    const result = await runCli(['replay', '--input', input, '--handler', WINDOW_COUNT, '--tumbling-window', '60', '--batch-size', '2'], {
      env: cleanEnv({ HANDLER_LOG: log }), timeoutMs: 30_000,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(closedWindows(log)).toEqual([
      { shardId: '(input)', window: { start: '2023-11-14T22:14:00Z', end: '2023-11-14T22:15:00Z' }, counts: { a: 3, b: 1 }, early: false },
      { shardId: '(input)', window: { start: '2023-11-14T22:15:00Z', end: '2023-11-14T22:16:00Z' }, counts: { b: 1, c: 1 }, early: false },
    ]);
    expect(result.stderr).toContain('[window-count] window 2023-11-14T22:14:00Z–2023-11-14T22:15:00Z: {"a":3,"b":1}');
    // Batches of 2 that never span a window: [1,2] [3,4] and its final, [5,6] and its final.
    expect(result.stderr).toMatch(/^replay: 6 records: 6 handled · 5 invocations · /m);
  });

  it('a handler that forgets to return state fails its batch, in one line that says why', async () => {
    const dir = tempDir();
    const input = writeNdjson(dir, 'records.ndjson', [makeRecord(1, 'a', { time: T })]);
    const result = await runCli(['replay', '--input', input, '--handler', path.join(FIXTURES, 'esm.mjs'), '--tumbling-window', '60', '--max-retries', '0']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^replay: gave up on 1 record of shard \(input\) .*InvalidWindowResponse: the response has no state: with --tumbling-window the handler returns \{state, batchItemFailures\?\}\); dropped/m);
  });

  it('refuses a parallelization factor: a window has one state per shard', async () => {
    const result = await runCli(['replay', '--input', 'x.ndjson', '--handler', WINDOW_COUNT, '--tumbling-window', '60', '--parallelization-factor', '2']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('ddbstream: --tumbling-window carries one state per shard from batch to batch: use it with --parallelization-factor 1.\n');
  });

  it('DynamoDB Local: the changes of a table, counted per key in 15-minute windows', async () => {
    const table = local.tableName('windows');
    await local.createTableWithStream(table);
    for (const pk of ['o1', 'o2', 'o1', 'o1']) {
      await local.dynamodb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, at: { N: String(Math.random()) } } }));
    }
    const dir = tempDir();
    const log = path.join(dir, 'windows.ndjson');
    const result = await runCli(['replay', table, '--handler', WINDOW_COUNT, '--tumbling-window', '900'], {
      env: local.cliEnv({ HANDLER_LOG: log }), timeoutMs: 30_000,
    });
    expect(result.code).toBe(0);
    const totals: Record<string, number> = {};
    for (const closed of closedWindows(log)) {
      for (const [key, count] of Object.entries(closed.counts)) totals[key] = (totals[key] ?? 0) + count;
      expect(Date.parse(closed.window.end) - Date.parse(closed.window.start)).toBe(900_000);
    }
    expect(totals).toEqual({ o1: 3, o2: 1 });
  });
});

describe('replay --tumbling-window on a stream that splits (fake endpoint)', () => {
  let fake: FakeStreams;
  beforeEach(async () => {
    fake = await startFakeStreams();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('a shard split inside a window: the parent\'s window closes with the parent, each child counts from fresh state', async () => {
    const time = Date.UTC(2024, 4, 1, 10, 0, 5);
    const put = (pk: string) => ({ eventName: 'INSERT' as const, newImage: { pk: { S: pk } }, time });
    const { streamArn } = fake.addTable({ tableName: 'Orders', stream: { viewType: 'NEW_AND_OLD_IMAGES', shards: 0 } });
    const parent = fake.addShard(streamArn!, { records: ['a', 'b', 'a'].map(put) });
    const [left, right] = fake.split(parent, 2);
    fake.appendRecords(left!, ['a', 'c'].map(put));
    fake.appendRecords(right!, ['a'].map(put));
    fake.closeShard(left!);
    fake.closeShard(right!);
    const log = path.join(tempDir(), 'windows.ndjson');
    const result = await runCli(['replay', 'Orders', '--handler', WINDOW_COUNT, '--tumbling-window', '60', '--endpoint-url', fake.endpoint], {
      env: cleanEnv({ HANDLER_LOG: log }), timeoutMs: 30_000,
    });
    expect(result.code).toBe(0);
    const window = { start: '2024-05-01T10:00:00Z', end: '2024-05-01T10:01:00Z' };
    const byShard = (list: Closed[]) => [...list].sort((x, y) => x.shardId.localeCompare(y.shardId));
    expect(byShard(closedWindows(log))).toEqual(byShard(([
      { shardId: parent, window, counts: { a: 2, b: 1 } },
      { shardId: left!, window, counts: { a: 1, c: 1 } },
      { shardId: right!, window, counts: { a: 1 } },
    ] as Array<Omit<Closed, 'early'>>).map((closed) => ({ ...closed, early: false }))));
  });
});
