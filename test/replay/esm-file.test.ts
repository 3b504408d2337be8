import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEsm, readEsmFile } from '../../src/replay/esm-file.js';
import { UsageError } from '../../src/util/errors.js';
import { tempDir } from '../helpers/temp-dir.js';

const ARN = 'arn:aws:dynamodb:eu-west-1:123456789012:table/Orders/stream/2024-05-01T09:00:00.000';

/** As `aws lambda get-event-source-mapping` prints a DynamoDB stream mapping. */
const FROM_AWS = {
  UUID: '14e0db71-5d35-4eb5-b481-8945cf9d10c2', StartingPosition: 'LATEST', BatchSize: 25, MaximumBatchingWindowInSeconds: 0,
  ParallelizationFactor: 2, EventSourceArn: ARN, FunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders-fn',
  LastModified: '2024-05-01T10:00:00+00:00', LastProcessingResult: 'No records processed', State: 'Enabled',
  StateTransitionReason: 'User action', DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:eu-west-1:123456789012:dlq' } },
  MaximumRecordAgeInSeconds: -1, BisectBatchOnFunctionError: true, MaximumRetryAttempts: 5, TumblingWindowInSeconds: 0,
  FunctionResponseTypes: ['ReportBatchItemFailures'], FilterCriteria: { Filters: [{ Pattern: '{"eventName":["INSERT"]}' }] },
};

function write(content: string): string {
  const file = path.join(tempDir(), 'esm.json');
  writeFileSync(file, content);
  return file;
}

describe('readEsmFile', () => {
  it('reads what get-event-source-mapping prints: the settings as options, the stream, the function; the rest ignored', async () => {
    expect(await readEsmFile(write(JSON.stringify(FROM_AWS)))).toEqual({
      streamArn: ARN,
      options: {
        functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:orders-fn', from: 'latest', batchSize: '25', batchWindow: '0',
        parallelizationFactor: '2', maxRetries: '5', maxRecordAge: '-1', bisectOnError: true, reportBatchItemFailures: true,
        filter: ['{"eventName":["INSERT"]}'],
      },
    });
  });

  it('a setting left out is Lambda\'s default: MaximumRetryAttempts -1', () => {
    expect(parseEsm({ EventSourceArn: ARN, StartingPosition: 'TRIM_HORIZON' }, 'f').options).toEqual({ from: 'trim-horizon', maxRetries: '-1' });
  });

  it('takes the one mapping of a CloudFormation template', async () => {
    const template = { Resources: { M: { Type: 'AWS::Lambda::EventSourceMapping', Properties: { EventSourceArn: ARN, FunctionName: 'f', StartingPosition: 'LATEST', TumblingWindowInSeconds: 60 } } } };
    expect(await readEsmFile(write(JSON.stringify(template)))).toEqual({
      streamArn: ARN, options: { functionName: 'f', from: 'latest', maxRetries: '-1', tumblingWindow: '60' },
    });
  });

  it.each([
    ['not JSON', 'BatchSize: 10', /^--esm \S+ is not JSON \(.*\): give the output of aws lambda get-event-source-mapping or --print-esm$/],
    ['not a mapping', '{"Name": "x"}', /^--esm \S+ is not an event source mapping: expected an object with EventSourceArn/],
    ['a list', '[1]', /is not an event source mapping/],
    ['BatchSize 0', JSON.stringify({ ...FROM_AWS, BatchSize: 0 }), /^--esm \S+: BatchSize must be an integer from 1 to 10000 \(got 0\)$/],
    ['BatchSize "10"', JSON.stringify({ ...FROM_AWS, BatchSize: '10' }), /BatchSize must be an integer from 1 to 10000 \(got "10"\)/],
    ['TumblingWindowInSeconds 901', JSON.stringify({ ...FROM_AWS, TumblingWindowInSeconds: 901 }), /TumblingWindowInSeconds must be a whole number of seconds from 0 to 900 \(got 901\)/],
    ['MaximumRecordAgeInSeconds 30', JSON.stringify({ ...FROM_AWS, MaximumRecordAgeInSeconds: 30 }), /MaximumRecordAgeInSeconds must be -1 \(no limit\) or a whole number of seconds from 60 to 604800/],
    ['StartingPosition AT_TIMESTAMP', JSON.stringify({ ...FROM_AWS, StartingPosition: 'AT_TIMESTAMP' }), /StartingPosition must be TRIM_HORIZON or LATEST/],
    ['a Kinesis ARN', JSON.stringify({ ...FROM_AWS, EventSourceArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/s' }), /EventSourceArn must be a DynamoDB stream ARN/],
    ['a bad pattern', JSON.stringify({ ...FROM_AWS, FilterCriteria: { Filters: [{ Pattern: '{"eventName":"INSERT"}' }] } }), /^--esm \S+: FilterCriteria\.Filters\[0\]\.Pattern: /],
    ['FunctionResponseTypes', JSON.stringify({ ...FROM_AWS, FunctionResponseTypes: ['Other'] }), /FunctionResponseTypes must be a list of "ReportBatchItemFailures"/],
  ])('%s is a usage error naming the key', async (_what, content, message) => {
    const read = readEsmFile(write(content));
    await expect(read).rejects.toThrow(UsageError);
    await expect(readEsmFile(write(content))).rejects.toThrow(message);
  });
});
