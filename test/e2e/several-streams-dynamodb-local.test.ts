import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeleteTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useDynamoDbLocal } from '../helpers/dynamodb-local.js';
import { tempDir } from '../helpers/temp-dir.js';
import { parseNdjson, startCli } from './export-helpers.js';

const local = useDynamoDbLocal();
const RECORDING_HANDLER = fileURLToPath(new URL('../fixtures/handlers/esm.mjs', import.meta.url));

/** What the recording handler was given, one entry per invocation. */
function invocations(log: string): Array<{ event: { Records: Array<{ eventSourceARN: string; dynamodb: { Keys: { pk: { S: string } } } }> } }> {
  return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line)) : [];
}

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

  it('a stream named twice (by table name and by ARN) is read once, and shown as one stream is', async () => {
    const users = await local.createTableWithStream(local.tableName('twice'));
    for (let i = 0; i < 3; i++) await put(users.tableName, `u${i}`);
    const args = ['--format', 'plain', '--from', 'trim-horizon', '-n', '3', '--no-color'];
    const alone = await runCli(['tail', users.tableName, ...args], { env: local.cliEnv() });
    const twice = await runCli(['tail', users.tableName, users.streamArn, ...args], { env: local.cliEnv() });
    expect(alone.code, alone.stderr).toBe(0);
    expect(twice.code, twice.stderr).toBe(0);
    expect(twice.stdout).toBe(alone.stdout);
    expect(twice.stdout.match(/u\d/g)?.length).toBeGreaterThanOrEqual(3);
    // Knowing its one table, the tail says when --key names an attribute outside the key.
    const until = ['--from', 'trim-horizon', '--until', new Date().toISOString(), '--key', 'email=x', '--format', 'ndjson'];
    const note = await runCli(['tail', users.tableName, users.streamArn, ...until], { env: local.cliEnv() });
    expect(note.code, note.stderr).toBe(0);
    expect(note.stderr).toContain('"email" is not a key attribute of this table');
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

  it('tail --checkpoint covers both streams too: a second tail goes on where the first stopped, in each', async () => {
    const users = await local.createTableWithStream(local.tableName('tcu'));
    const orders = await local.createTableWithStream(local.tableName('tco'));
    for (const pk of ['u0', 'u1']) await put(users.tableName, pk);
    for (const pk of ['o0', 'o1']) await put(orders.tableName, pk);
    const checkpoint = join(tempDir(), 'tail.cp');
    const tail = (n: string) => runCli(
      ['tail', users.tableName, orders.tableName, '--from', 'trim-horizon', '-n', n, '--checkpoint', checkpoint, '--poll-interval', '100'],
      { env: local.cliEnv() },
    );
    const first = await tail('3');
    expect(first.code, first.stderr).toBe(0);
    const second = await tail('1');
    expect(second.code, second.stderr).toBe(0);
    const keys = [...parseNdjson<Line>(first.stdout), ...parseNdjson<Line>(second.stdout)].map((l) => l.keys.pk);
    expect(keys.sort()).toEqual(['o0', 'o1', 'u0', 'u1']);
  });

  it('replay of several streams names the stream in each failure line', async () => {
    const users = await local.createTableWithStream(local.tableName('pu'));
    const orders = await local.createTableWithStream(local.tableName('po'));
    await local.dynamodb.send(new PutItemCommand({ TableName: users.tableName, Item: { pk: { S: 'u0' }, flag: { S: 'poison' } } }));
    await put(orders.tableName, 'o0');
    const result = await runCli(
      ['replay', users.tableName, orders.tableName, '--handler', fileURLToPath(new URL('../fixtures/handlers/poison.mjs', import.meta.url)), '--max-retries', '0'],
      { env: local.cliEnv(), timeoutMs: 30_000 },
    );
    expect(result.code, result.stderr).toBe(1);
    const failures = result.stderr.split('\n').filter((line) => /poison record|gave up/.test(line));
    expect(failures.length).toBeGreaterThan(0);
    for (const line of failures) expect(line.startsWith(`replay: ${users.tableName}: `), line).toBe(true);
  });

  it('replay runs one mapping per stream: no batch mixes them, both tables arrive, the checkpoint covers both', async () => {
    const users = await local.createTableWithStream(local.tableName('ru'));
    const orders = await local.createTableWithStream(local.tableName('ro'));
    for (let i = 0; i < 5; i++) await put(users.tableName, `u${i}`);
    for (let i = 0; i < 4; i++) await put(orders.tableName, `o${i}`);
    const dir = tempDir();
    const checkpoint = join(dir, 'both.cp');
    const replay = (log: string, ...extra: string[]) => runCli(
      ['replay', users.tableName, orders.tableName, '--handler', RECORDING_HANDLER, '--batch-size', '2', '--checkpoint', checkpoint, ...extra],
      { env: local.cliEnv({ HANDLER_LOG: log }), timeoutMs: 30_000 },
    );
    const keysIn = (log: string): string[] => invocations(log).flatMap((call) => call.event.Records.map((r) => r.dynamodb.Keys.pk.S));

    const firstLog = join(dir, 'first.ndjson');
    const first = await replay(firstLog, '--stats');
    expect(first.code, first.stderr).toBe(0);
    const calls = invocations(firstLog);
    for (const call of calls) {
      const arns = new Set(call.event.Records.map((r) => r.eventSourceARN));
      expect(arns.size).toBe(1);
      expect([users.streamArn, orders.streamArn]).toContain([...arns][0]);
    }
    // Batches of 2 per stream: 3 of Users (2+2+1), 2 of Orders.
    expect(calls).toHaveLength(5);
    const byStream = (arn: string) => calls.filter((c) => c.event.Records[0]!.eventSourceARN === arn).flatMap((c) => c.event.Records.map((r) => r.dynamodb.Keys.pk.S));
    expect(byStream(users.streamArn)).toEqual(['u0', 'u1', 'u2', 'u3', 'u4']);
    expect(byStream(orders.streamArn)).toEqual(['o0', 'o1', 'o2', 'o3']);
    // A line per stream, then the one for all.
    expect(first.stderr).toContain(`replay: ${users.tableName}: 5 records: 5 handled · 3 invocations`);
    expect(first.stderr).toContain(`replay: ${orders.tableName}: 4 records: 4 handled · 2 invocations`);
    expect(first.stderr).toMatch(/replay: 9 records: 9 handled · 5 invocations · /);
    const stats = JSON.parse(first.stderr.trim().split('\n').find((line) => line.startsWith('{'))!) as { records: number; streams: Record<string, { records: number }> };
    expect(stats.records).toBe(9);
    expect(stats.streams[users.streamArn]!.records).toBe(5);
    expect(stats.streams[orders.streamArn]!.records).toBe(4);

    // More writes to both: the next run hands the handler only those.
    await put(users.tableName, 'u5');
    await put(orders.tableName, 'o4');
    await put(orders.tableName, 'o5');
    const secondLog = join(dir, 'second.ndjson');
    const second = await replay(secondLog);
    expect(second.code, second.stderr).toBe(0);
    expect(keysIn(secondLog).sort()).toEqual(['o4', 'o5', 'u5']);

    // -n counts the records of both mappings together.
    for (let i = 6; i < 9; i++) {
      await put(users.tableName, `u${i}`);
      await put(orders.tableName, `o${i}`);
    }
    const limitedLog = join(dir, 'limited.ndjson');
    const limited = await replay(limitedLog, '-n', '4');
    expect(limited.code, limited.stderr).toBe(0);
    expect(keysIn(limitedLog)).toHaveLength(4);
    const restLog = join(dir, 'rest.ndjson');
    const rest = await replay(restLog);
    expect(rest.code, rest.stderr).toBe(0);
    expect([...keysIn(limitedLog), ...keysIn(restLog)].sort()).toEqual(['o6', 'o7', 'o8', 'u6', 'u7', 'u8']);
  }, 90_000);

  it('replay of several streams refuses what only goes with one stream', async () => {
    const env = local.cliEnv();
    const printEsm = await runCli(['replay', 'Users', 'Orders', '--print-esm'], { env });
    expect(printEsm.code).toBe(2);
    expect(printEsm.stderr).toContain('--print-esm prints one event source mapping: run it once per stream');
    const input = await runCli(['replay', 'Users', 'Orders', '--input', 'f.ndjson', '--handler', RECORDING_HANDLER], { env });
    expect(input.code).toBe(2);
    expect(input.stderr).toContain('give a stream or --input, not both (got "Users Orders" and --input f.ndjson)');
    const group = await runCli(['replay', 'Users', 'Orders', '--group', 'g', '--handler', RECORDING_HANDLER], { env });
    expect(group.code).toBe(2);
    expect(group.stderr).toContain('--group shares one stream: start one group per stream.');
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
