import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { BIN } from '../helpers/cli.js';
import { useDynamoDbLocal } from '../helpers/dynamodb-local.js';

const local = useDynamoDbLocal();

describe('ddbstream tail on DynamoDB Local', () => {
  it('follows writes into a pipe as NDJSON lines with exact numbers and both images', async () => {
    const { tableName } = await local.createTableWithStream(local.tableName('tail'));
    const big = '98765432109876543210987654321098765432';
    await local.dynamodb.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: 'alice' }, score: { N: big } } }));

    const child = spawn(process.execPath, [BIN, 'tail', tableName, '--from', 'trim-horizon', '-n', '3'], {
      env: local.cliEnv(), stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      // The first record on screen means the tail is following: what comes next must reach it live.
      const deadline = Date.now() + 15_000;
      while (!stdout.includes('"alice"')) {
        if (Date.now() > deadline) throw new Error(`no first record; stderr: ${stderr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      await local.dynamodb.send(new UpdateItemCommand({
        TableName: tableName, Key: { pk: { S: 'alice' } },
        UpdateExpression: 'SET nick = :n', ExpressionAttributeValues: { ':n': { S: 'al' } },
      }));
      await local.dynamodb.send(new DeleteItemCommand({ TableName: tableName, Key: { pk: { S: 'alice' } } }));
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    const lines = stdout.trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { eventName: string }).eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    expect(lines[0]).toContain(`"score":${big}`);
    expect(JSON.parse(lines[1]!)).toMatchObject({ oldImage: { pk: 'alice' }, newImage: { pk: 'alice', nick: 'al' } });
    expect(stderr).toBe('');
  });
});
