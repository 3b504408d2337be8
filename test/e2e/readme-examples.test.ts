import { readFileSync } from 'node:fs';
import { PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { useDynamoDbLocal } from '../helpers/dynamodb-local.js';

/**
 * The README's examples, run against DynamoDB Local with a table like the README's (Users, key
 * pk/sk, alice's profile inserted and then modified). Each case names the exact command line the
 * README shows, checks that the README still shows it, runs it, and compares the gist of the
 * output with what the README shows next to it: README and tool cannot drift apart.
 */
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const local = useDynamoDbLocal();

/** The command's arguments as a shell would split these simple lines; the README's endpoint becomes this test's. */
function argsOf(line: string, endpoint: string): string[] {
  const words = line.replace(/^\$ /, '').trim().split(/\s+/);
  expect(words[0]).toBe('ddbstream');
  return words.slice(1).map((word) => (word === 'http://localhost:8000' ? endpoint : word));
}

/** The first line of output the README shows right after `$ <command>` in a code block. */
function readmeOutputAfter(command: string): string {
  const at = README.indexOf(`$ ${command}\n`);
  expect(at, `README shows "$ ${command}" with its output`).toBeGreaterThanOrEqual(0);
  return README.slice(at + command.length + 3).split('\n')[0]!;
}

async function run(line: string): Promise<CliResult> {
  expect(README, 'the README still shows this command').toContain(line);
  return runCli(argsOf(line, local.endpoint), { env: local.cliEnv(), timeoutMs: 30_000 });
}

/** The shape of a JSON value: its keys, recursively, with the values left out. */
function shape(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return typeof value;
  if (Array.isArray(value)) return 'array';
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, shape((value as Record<string, unknown>)[key])]));
}

describe('the README\'s examples', () => {
  beforeAll(async () => {
    await local.createTableWithStream('Users', 'NEW_AND_OLD_IMAGES', {
      partition: { name: 'pk', type: 'S' }, sort: { name: 'sk', type: 'S' },
    });
    await local.dynamodb.send(new PutItemCommand({
      TableName: 'Users',
      Item: {
        pk: { S: 'alice' }, sk: { S: 'profile' }, email: { S: 'alice@old.example' }, visits: { N: '41' },
        balance: { N: '12345678901234567890.123456789012345678' }, tags: { SS: ['beta', 'eu'] },
      },
    }));
    await local.dynamodb.send(new UpdateItemCommand({
      TableName: 'Users', Key: { pk: { S: 'alice' }, sk: { S: 'profile' } },
      UpdateExpression: 'SET email = :e, visits = :v', ExpressionAttributeValues: { ':e': { S: 'alice@new.example' }, ':v': { N: '42' } },
    }));
  }, 60_000);

  it('streams: lists the table with its status and view type', async () => {
    const result = await run('$ ddbstream streams --endpoint-url http://localhost:8000');
    expect(result.code).toBe(0);
    const shown = readmeOutputAfter('ddbstream streams --endpoint-url http://localhost:8000').split(/\s{2,}/);
    expect(shown).toEqual(['TABLE', 'STATUS', 'VIEW TYPE', 'LABEL', 'STREAM ARN']);
    const [header, row] = result.stdout.trim().split('\n');
    // Piped, the same columns, tab-separated.
    expect(header!.split('\t')).toHaveLength(shown.length);
    expect(row!.split('\t')).toEqual(expect.arrayContaining(['Users', 'ENABLED', 'NEW_AND_OLD_IMAGES']));
  });

  it('shards, piped: the tab-separated columns the README lists', async () => {
    const result = await run('ddbstream shards Users --json');
    expect(result.code).toBe(0);
    const columns = /prints tab-separated columns \(`([^`]+)`\)/.exec(README.replace(/\s+/g, ' '))?.[1]?.split(' ');
    expect(columns).toEqual(['shardId', 'parentShardId', 'state', 'depth', 'startingSequenceNumber', 'endingSequenceNumber', 'createdAt', 'trimAt']);
    const piped = await runCli(['shards', 'Users'], { env: local.cliEnv() });
    expect(piped.stdout.split('\n')[0]!.split('\t')).toEqual(columns);
    const shard = JSON.parse(result.stdout.trim().split('\n')[0]!) as Record<string, unknown>;
    expect(Object.keys(shard).sort()).toEqual([...columns!, 'children'].sort());
  });

  it('export --event MODIFY: the line the README shows, field for field', async () => {
    const result = await run('$ ddbstream export Users --endpoint-url http://localhost:8000 --event MODIFY');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const shown = JSON.parse(readmeOutputAfter('ddbstream export Users --endpoint-url http://localhost:8000 --event MODIFY')) as Record<string, unknown>;
    const got = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(shape(got)).toEqual(shape(shown));
    for (const field of ['table', 'eventName', 'keys', 'oldImage', 'newImage']) expect(got[field], field).toEqual(shown[field]);
    // Exact digits, as the README promises: compared as text.
    expect(lines[0]).toContain('"balance":12345678901234567890.123456789012345678');
  });

  it('export --raw --event MODIFY: the Lambda record the README shows', async () => {
    const result = await run('$ ddbstream export Users --raw --event MODIFY');
    expect(result.code).toBe(0);
    const shown = JSON.parse(readmeOutputAfter('ddbstream export Users --raw --event MODIFY')) as { dynamodb: Record<string, unknown> };
    const got = JSON.parse(result.stdout.trim()) as { dynamodb: Record<string, unknown> };
    expect(shape(got)).toEqual(shape(shown));
    for (const field of ['Keys', 'NewImage', 'OldImage', 'StreamViewType']) expect(got.dynamodb[field], field).toEqual(shown.dynamodb[field]);
  });

  it('export --event modify --key: the README\'s filter example matches alice\'s change, without a note', async () => {
    const result = await run('ddbstream export Users --event modify --key pk=alice');
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { eventName: string }).eventName)).toEqual(['MODIFY']);
  });

  it('a --key on an attribute outside the table\'s key: a note naming the key attributes', async () => {
    const result = await runCli(['export', 'Users', '--key', 'id=u-42'], { env: local.cliEnv() });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'ddbstream: note: --key "id" is not a key attribute of this table, so no record can match: its key is pk, sk (e.g. --key pk=… --key sk=…). To match other attributes, use --filter.\n',
    );
    expect(README).toContain('`--key "id" is not a key attribute of this table, so no record can match: its key is pk, sk …`');
  });

  it('the Filters examples no longer use a key the README\'s tables do not have', () => {
    expect(README).not.toContain('--key id=u-42');
  });
});
