import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useDynamoDbLocal } from '../helpers/dynamodb-local.js';
import { tempDir } from '../helpers/temp-dir.js';
import { parseNdjson, startCli } from './export-helpers.js';

const local = useDynamoDbLocal();

interface Line {
  table: string;
  streamArn: string;
  keys: { pk: string };
}

async function put(table: string, pk: string): Promise<void> {
  await local.dynamodb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk } } }));
}

describe('several streams at once on DynamoDB Local', () => {
  it('export reads two tables\' streams: every record of each, each tied to its stream', async () => {
    const users = await local.createTableWithStream(local.tableName('users'));
    const orders = await local.createTableWithStream(local.tableName('orders'));
    for (let i = 0; i < 5; i++) await put(users.tableName, `u${i}`);
    for (let i = 0; i < 3; i++) await put(orders.tableName, `o${i}`);
    const result = await runCli(['export', users.tableName, orders.streamArn, '--concurrency', '2'], { env: local.cliEnv() });
    expect(result.code).toBe(0);
    const lines = parseNdjson<Line>(result.stdout);
    expect(lines.filter((l) => l.table === users.tableName).map((l) => l.keys.pk)).toEqual(['u0', 'u1', 'u2', 'u3', 'u4']);
    expect(lines.filter((l) => l.table === orders.tableName).map((l) => l.keys.pk)).toEqual(['o0', 'o1', 'o2']);
    for (const line of lines) expect(line.streamArn).toBe(line.table === users.tableName ? users.streamArn : orders.streamArn);
  });

  it('-n counts the records of all streams', async () => {
    const a = await local.createTableWithStream(local.tableName('a'));
    const b = await local.createTableWithStream(local.tableName('b'));
    for (let i = 0; i < 4; i++) {
      await put(a.tableName, `a${i}`);
      await put(b.tableName, `b${i}`);
    }
    const limited = await runCli(['export', a.tableName, b.tableName, '-n', '5'], { env: local.cliEnv() });
    expect(limited.code).toBe(0);
    expect(parseNdjson<Line>(limited.stdout)).toHaveLength(5);
  });

  it('--checkpoint covers both streams: stopped by -n, then run again after more writes, every record comes out once', async () => {
    const users = await local.createTableWithStream(local.tableName('cpu'));
    const orders = await local.createTableWithStream(local.tableName('cpo'));
    for (let i = 0; i < 3; i++) await put(users.tableName, `u${i}`);
    for (let i = 0; i < 3; i++) await put(orders.tableName, `o${i}`);
    const checkpoint = join(tempDir(), 'both.cp');
    const exportBoth = (...extra: string[]) =>
      runCli(['export', users.tableName, orders.tableName, '--checkpoint', checkpoint, ...extra], { env: local.cliEnv() });
    const keys = (stdout: string): string[] => parseNdjson<Line>(stdout).map((l) => l.keys.pk);

    const first = await exportBoth('-n', '4');
    expect(first.code).toBe(0);
    expect(keys(first.stdout)).toHaveLength(4);
    const saved = JSON.parse(readFileSync(checkpoint, 'utf8')) as { version: number; streams: Record<string, unknown> };
    expect(saved.version).toBe(2);
    expect(Object.keys(saved.streams).sort()).toEqual([users.streamArn, orders.streamArn].sort());

    await put(users.tableName, 'u3');
    await put(orders.tableName, 'o3');
    await put(orders.tableName, 'o4');
    const second = await exportBoth();
    expect(second.code).toBe(0);
    // The two runs together: each record of each table once, none twice.
    const all = [...keys(first.stdout), ...keys(second.stdout)];
    expect(all.filter((k) => k.startsWith('u')).sort()).toEqual(['u0', 'u1', 'u2', 'u3']);
    expect(all.filter((k) => k.startsWith('o')).sort()).toEqual(['o0', 'o1', 'o2', 'o3', 'o4']);
    for (const line of parseNdjson<Line>(second.stdout)) expect(line.streamArn).toBe(line.table === users.tableName ? users.streamArn : orders.streamArn);

    // Only the new records, from both tables.
    await put(users.tableName, 'u4');
    await put(orders.tableName, 'o5');
    const third = await exportBoth();
    expect(keys(third.stdout).sort()).toEqual(['o5', 'u4']);

    // One of them alone continues from its own part; the other's part stays in the file.
    await put(orders.tableName, 'o6');
    const alone = await runCli(['export', orders.tableName, '--checkpoint', checkpoint], { env: local.cliEnv() });
    expect(alone.code).toBe(0);
    expect(keys(alone.stdout)).toEqual(['o6']);
    const kept = JSON.parse(readFileSync(checkpoint, 'utf8')) as { streams: Record<string, unknown> };
    expect(Object.keys(kept.streams).sort()).toEqual([users.streamArn, orders.streamArn].sort());
    const last = await exportBoth();
    expect(keys(last.stdout)).toEqual([]);

    // The table re-created: its new stream is not the one the file's part was saved for.
    await local.dynamodb.send(new DeleteTableCommand({ TableName: users.tableName }));
    const recreated = await local.createTableWithStream(users.tableName);
    const refused = await exportBoth();
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toBe(
      `ddbstream: checkpoint ${checkpoint} belongs to another stream (${users.streamArn}), not ${recreated.streamArn}. Use a different --checkpoint file for this stream.`,
    );
  }, 60_000);

  it('tail follows two tables at once: writes to either show up, into a pipe', async () => {
    const users = await local.createTableWithStream(local.tableName('tailu'));
    const orders = await local.createTableWithStream(local.tableName('tailo'));
    const running = startCli(['tail', users.tableName, orders.tableName, '--poll-interval', '100'], local.cliEnv());
    // From LATEST: write until the tail has seen a change of each table.
    const seen = (table: string): boolean => running.lines.some((l) => l.includes(`"table":"${table}"`));
    const deadline = Date.now() + 30_000;
    for (let i = 0; !(seen(users.tableName) && seen(orders.tableName)) && Date.now() < deadline; i++) {
      if (!seen(users.tableName)) await put(users.tableName, `u${i}`);
      if (!seen(orders.tableName)) await put(orders.tableName, `o${i}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    running.child.kill('SIGINT');
    expect((await running.exited).code).toBe(130);
    const tables = new Set(parseNdjson<Line>(running.stdout()).map((l) => l.table));
    expect([...tables].sort()).toEqual([orders.tableName, users.tableName].sort());
  }, 60_000);
});
