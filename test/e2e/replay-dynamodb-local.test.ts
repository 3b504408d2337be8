import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { useDynamoDbLocal } from '../helpers/dynamodb-local.js';
import { runCli } from '../helpers/cli.js';
import type { FailureLine } from '../../src/replay/failure-record.js';
import type { LambdaStreamRecord } from '../../src/records/lambda-record.js';
import { tempDir } from '../helpers/temp-dir.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/handlers/', import.meta.url));
const local = useDynamoDbLocal();

const calls = (file: string): Array<{ event: { Records: LambdaStreamRecord[] } }> =>
  existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line)) : [];

describe('replay against DynamoDB Local', () => {
  it('the handler gets the records exactly as Lambda would build them; a poison record ends in the failure file', async () => {
    const table = local.tableName('orders');
    const { streamArn } = await local.createTableWithStream(table);
    const bytes = Buffer.from([0, 1, 2, 250]);
    await local.dynamodb.send(new PutItemCommand({
      TableName: table,
      Item: { pk: { S: 'o1' }, total: { N: '12345678901234567890.123456789' }, blob: { B: bytes }, tags: { SS: ['a', 'b'] } },
    }));
    await local.dynamodb.send(new UpdateItemCommand({
      TableName: table, Key: { pk: { S: 'o1' } }, UpdateExpression: 'SET flag = :f', ExpressionAttributeValues: { ':f': { S: 'poison' } },
    }));
    await local.dynamodb.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'o1' } } }));
    const raw = await local.readStreamRecords(streamArn, 3);

    const dir = tempDir();
    const log = path.join(dir, 'calls.ndjson');
    const failures = path.join(dir, 'failures.ndjson');
    const clean = await runCli(['replay', table, '--handler', path.join(FIXTURES, 'esm.mjs')], {
      env: local.cliEnv({ HANDLER_LOG: log }), timeoutMs: 30_000,
    });
    expect(clean.code).toBe(0);
    const [call] = calls(log);
    const records = call!.event.Records;
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    expect(records.map((r) => r.dynamodb.SequenceNumber)).toEqual(raw.map((r) => r.dynamodb!.SequenceNumber));
    expect(records[0]).toMatchObject({
      eventID: raw[0]!.eventID,
      eventSource: 'aws:dynamodb',
      eventSourceARN: streamArn,
      awsRegion: raw[0]!.awsRegion,
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(raw[0]!.dynamodb!.ApproximateCreationDateTime!.getTime() / 1000),
        Keys: { pk: { S: 'o1' } },
        NewImage: {
          pk: { S: 'o1' },
          total: { N: '12345678901234567890.123456789' },
          blob: { B: bytes.toString('base64') },
          tags: { SS: ['a', 'b'] },
        },
        SizeBytes: raw[0]!.dynamodb!.SizeBytes,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(records[1]!.dynamodb.OldImage).toEqual(records[0]!.dynamodb.NewImage);
    expect(records[2]!.dynamodb).not.toHaveProperty('NewImage');

    // The MODIFY carries the poison flag: bisect isolates it and it lands in the failure file.
    const poisoned = await runCli([
      'replay', table, '--handler', path.join(FIXTURES, 'poison.mjs'), '--bisect-on-error', '--max-retries', '0', '--on-failure', failures,
    ], { env: local.cliEnv(), timeoutMs: 30_000 });
    expect(poisoned.code).toBe(1);
    const lines = readFileSync(failures, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as FailureLine);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.records.map((r) => r.eventName)).toEqual(['MODIFY']);
    expect(lines[0]!.DDBStreamBatchInfo.streamArn).toBe(streamArn);
    expect(lines[0]!.requestContext.functionArn).toMatch(/^arn:aws:lambda:[^:]+:[^:]+:function:poison$/);
  });
});
