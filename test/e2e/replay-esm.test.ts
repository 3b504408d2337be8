import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { useDynamoDbLocal } from '../helpers/dynamodb-local.js';
import { tempDir } from '../helpers/temp-dir.js';
import { flaggedRecords, writeNdjson } from '../replay/input-fixture.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/handlers/', import.meta.url));
const ARN = 'arn:aws:dynamodb:eu-west-1:123456789012:table/Orders/stream/2024-05-01T09:00:00.000';
// Nothing listens here: a command that made an AWS call would fail.
const NO_AWS = ['--endpoint-url', 'http://127.0.0.1:9'];
const local = useDynamoDbLocal();

describe('replay --print-esm', () => {
  it('prints the mapping for the options, without a handler and without an AWS call', async () => {
    const result = await runCli([
      'replay', ARN, '--print-esm', '--function-name', 'orders-fn', '--batch-size', '10', '--batch-window', '5',
      '--report-batch-item-failures', '--bisect-on-error', '--max-retries', '2', '--parallelization-factor', '3',
      '--max-record-age', '3600', '--tumbling-window', '60', '--event', 'INSERT', '--from', 'latest', ...NO_AWS,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      EventSourceArn: ARN, FunctionName: 'orders-fn', StartingPosition: 'LATEST', BatchSize: 10, MaximumBatchingWindowInSeconds: 5,
      ParallelizationFactor: 3, MaximumRetryAttempts: 2, BisectBatchOnFunctionError: true, MaximumRecordAgeInSeconds: 3600,
      FunctionResponseTypes: ['ReportBatchItemFailures'], FilterCriteria: { Filters: [{ Pattern: '{"eventName":["INSERT"]}' }] },
      TumblingWindowInSeconds: 60,
    });
  });

  it('cloudformation; notes on stderr for the placeholder name, a time start and --on-failure', async () => {
    const result = await runCli(['replay', ARN, '--print-esm', 'cloudformation', '--from', '1h', '--on-failure', 'f.ndjson', ...NO_AWS]);
    expect(result.code).toBe(0);
    const template = JSON.parse(result.stdout) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    expect(Object.values(template.Resources)).toEqual([{
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: { EventSourceArn: ARN, FunctionName: 'REPLACE_WITH_FUNCTION_NAME', StartingPosition: 'TRIM_HORIZON', MaximumRetryAttempts: 3 },
    }]);
    const notes = result.stderr.trim().split('\n');
    expect(notes).toHaveLength(3);
    expect(notes.every((line) => line.startsWith('replay: note: '))).toBe(true);
    expect(result.stderr).toContain('DestinationConfig.OnFailure');
  });

  it('resolves a table name to its stream ARN (DynamoDB Local)', async () => {
    const table = local.tableName('esm');
    const { streamArn } = await local.createTableWithStream(table);
    const result = await runCli(['replay', table, '--print-esm', '--function-name', 'f'], { env: local.cliEnv(), timeoutMs: 30_000 });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ EventSourceArn: streamArn, StartingPosition: 'TRIM_HORIZON' });
  });
});

describe('replay --esm', () => {
  it('round trip: --esm FILE --print-esm prints FILE again, byte for byte', async () => {
    const dir = tempDir();
    const first = await runCli([
      'replay', ARN, '--print-esm', '--function-name', 'orders-fn', '--batch-size', '10', '--max-retries', '-1',
      '--filter', '{"dynamodb":{"NewImage":{"status":{"S":["active"]}}}}', '--filter', '{"eventName":["REMOVE"]}', '--tumbling-window', '30', ...NO_AWS,
    ]);
    expect(first.code).toBe(0);
    const file = path.join(dir, 'esm.json');
    writeFileSync(file, first.stdout);
    const again = await runCli(['replay', '--esm', file, '--print-esm', ...NO_AWS]);
    expect(again.stderr).toBe('');
    expect(again.stdout).toBe(first.stdout);
  });

  it('a mapping as get-event-source-mapping prints it: the same settings come back, the rest is ignored', async () => {
    const dir = tempDir();
    const fromAws = {
      UUID: '14e0db71-5d35-4eb5-b481-8945cf9d10c2', StartingPosition: 'TRIM_HORIZON', BatchSize: 25, MaximumBatchingWindowInSeconds: 0,
      ParallelizationFactor: 1, EventSourceArn: ARN, FunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders-fn',
      LastModified: '2024-05-01T10:00:00+00:00', State: 'Enabled', StateTransitionReason: 'User action',
      DestinationConfig: { OnFailure: {} }, MaximumRecordAgeInSeconds: -1, BisectBatchOnFunctionError: false, MaximumRetryAttempts: 7,
      TumblingWindowInSeconds: 0, FunctionResponseTypes: [],
    };
    const file = path.join(dir, 'esm.json');
    writeFileSync(file, JSON.stringify(fromAws));
    const result = await runCli(['replay', '--esm', file, '--print-esm', ...NO_AWS]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      EventSourceArn: ARN, FunctionName: fromAws.FunctionArn, StartingPosition: 'TRIM_HORIZON', BatchSize: 25, MaximumRetryAttempts: 7,
    });
  });

  it('replays with the file\'s settings; an option on the command line overrides the file', async () => {
    const dir = tempDir();
    const input = writeNdjson(dir, 'records.ndjson', flaggedRecords(6));
    const file = path.join(dir, 'esm.json');
    writeFileSync(file, JSON.stringify({ EventSourceArn: ARN, FunctionName: 'f', StartingPosition: 'TRIM_HORIZON', BatchSize: 2 }));
    const sizes = async (extra: string[]): Promise<number[]> => {
      const log = path.join(dir, `calls-${extra.length}.ndjson`);
      const result = await runCli(['replay', '--esm', file, '--input', input, '--handler', path.join(FIXTURES, 'esm.mjs'), ...extra], {
        env: cleanEnv({ HANDLER_LOG: log }),
      });
      expect(result.code).toBe(0);
      return readFileSync(log, 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { sequenceNumbers: string[] }).sequenceNumbers.length);
    };
    expect(await sizes([])).toEqual([2, 2, 2]);
    expect(await sizes(['--batch-size', '4'])).toEqual([4, 2]);
  });
});

describe('replay: bad mapping input is a usage error in one line', () => {
  const handler = path.join(FIXTURES, 'esm.mjs');
  it.each([
    ['--tumbling-window 0', ['replay', ARN, '--handler', handler, '--tumbling-window', '0'], /^ddbstream: --tumbling-window must be a whole number of seconds from 1 to 900 \(got "0"\)\.$/],
    ['--tumbling-window 901', ['replay', ARN, '--handler', handler, '--tumbling-window', '901'], /--tumbling-window must be .* \(got "901"\)/],
    ['--memory 64', ['replay', ARN, '--handler', handler, '--memory', '64'], /--memory must be a whole number of MB from 128 to 10240 \(got "64"\)/],
    ['--event-shape kinesis', ['replay', ARN, '--handler', handler, '--event-shape', 'kinesis'], /--event-shape must be lambda .* or pipes/],
    ['--print-esm yaml', ['replay', ARN, '--print-esm', 'yaml'], /--print-esm "yaml" is not a format: use json .* or cloudformation/],
    ['--print-esm with --input', ['replay', '--input', 'x.ndjson', '--print-esm'], /--print-esm describes a mapping of a stream, not of --input/],
    ['no --handler', ['replay', ARN], /--handler is required/],
  ])('%s', async (_name, args, message) => {
    const result = await runCli([...args, ...NO_AWS]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(message);
  });

  it('an --esm file that is not JSON, or not a mapping', async () => {
    const dir = tempDir();
    const notJson = path.join(dir, 'a.json');
    writeFileSync(notJson, 'UUID: 1');
    const notEsm = path.join(dir, 'b.json');
    writeFileSync(notEsm, '{"FunctionName": 7}');
    for (const [file, message] of [[notJson, /is not JSON/], [notEsm, /FunctionName must be a function name or ARN \(got 7\)/]] as const) {
      const result = await runCli(['replay', '--esm', file, '--print-esm', ...NO_AWS]);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    }
  });
});
