import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useDynamoDbLocal } from '../helpers/dynamodb-local.js';
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

  it('-n counts the records of all streams; --checkpoint with several streams is refused for now', async () => {
    const a = await local.createTableWithStream(local.tableName('a'));
    const b = await local.createTableWithStream(local.tableName('b'));
    for (let i = 0; i < 4; i++) {
      await put(a.tableName, `a${i}`);
      await put(b.tableName, `b${i}`);
    }
    const limited = await runCli(['export', a.tableName, b.tableName, '-n', '5'], { env: local.cliEnv() });
    expect(limited.code).toBe(0);
    expect(parseNdjson<Line>(limited.stdout)).toHaveLength(5);
    const refused = await runCli(['export', a.tableName, b.tableName, '--checkpoint', '/tmp/never-written.cp'], { env: local.cliEnv() });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--checkpoint covers one stream for now/);
  });

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
