import { describe, expect, it } from 'vitest';
import { buildMapping, FUNCTION_NAME_PLACEHOLDER, mappingCloudFormation } from '../../src/replay/esm-mapping.js';
import { parseMappingSettings } from '../../src/replay/options.js';

const ARN = 'arn:aws:dynamodb:eu-west-1:123456789012:table/Orders/stream/2024-05-01T09:00:00.000';

describe('buildMapping', () => {
  it('leaves out what equals Lambda\'s defaults, keeps the replay\'s 3 retries, and notes the placeholder name', () => {
    const { mapping, notes } = buildMapping({ streamArn: ARN, from: { kind: 'trim-horizon' }, settings: parseMappingSettings({}), filters: {} });
    expect(mapping).toEqual({
      EventSourceArn: ARN, FunctionName: FUNCTION_NAME_PLACEHOLDER, StartingPosition: 'TRIM_HORIZON', MaximumRetryAttempts: 3,
    });
    expect(notes).toEqual([expect.stringMatching(/^FunctionName is the placeholder REPLACE_WITH_FUNCTION_NAME: give --function-name NAME/)]);
  });

  it('carries every setting with Lambda\'s names, types and units', () => {
    const settings = parseMappingSettings({
      batchSize: '10', batchWindow: '5', maxRetries: '-1', bisectOnError: true, maxRecordAge: '3600',
      reportBatchItemFailures: true, parallelizationFactor: '4', tumblingWindow: '120',
    });
    const { mapping, notes } = buildMapping({
      streamArn: ARN, functionName: 'orders-fn', from: { kind: 'latest' }, settings, filters: { filter: ['{"eventName":["INSERT"]}'] },
    });
    expect(mapping).toEqual({
      EventSourceArn: ARN, FunctionName: 'orders-fn', StartingPosition: 'LATEST', BatchSize: 10, MaximumBatchingWindowInSeconds: 5,
      ParallelizationFactor: 4, BisectBatchOnFunctionError: true, MaximumRecordAgeInSeconds: 3600,
      FunctionResponseTypes: ['ReportBatchItemFailures'], FilterCriteria: { Filters: [{ Pattern: '{"eventName":["INSERT"]}' }] },
      TumblingWindowInSeconds: 120,
    });
    expect(notes).toEqual([]);
  });

  it('says what a mapping cannot carry: a time start, --on-failure FILE, --until', () => {
    const { mapping, notes } = buildMapping({
      streamArn: ARN, functionName: 'f', from: { kind: 'time', time: new Date(0), input: '1h' }, settings: parseMappingSettings({}),
      filters: {}, onFailure: 'failures.ndjson', until: true,
    });
    expect(mapping.StartingPosition).toBe('TRIM_HORIZON');
    expect(notes).toEqual([
      expect.stringMatching(/^--from a time has no event source mapping equivalent .*StartingPosition is TRIM_HORIZON$/),
      expect.stringMatching(/^--on-failure failures\.ndjson has no equivalent in a mapping: DestinationConfig\.OnFailure\.Destination needs the ARN of an SQS queue, SNS topic, S3 bucket or Kafka cluster$/),
      expect.stringMatching(/^--until has no equivalent/),
    ]);
  });

  it('cloudformation: one AWS::Lambda::EventSourceMapping whose properties are the same settings', () => {
    const { mapping } = buildMapping({ streamArn: ARN, functionName: 'f', from: { kind: 'trim-horizon' }, settings: parseMappingSettings({ batchSize: '7' }), filters: {} });
    const template = JSON.parse(mappingCloudFormation(mapping)) as { Resources: Record<string, { Type: string; Properties: unknown }> };
    const resources = Object.values(template.Resources);
    expect(resources).toHaveLength(1);
    expect(resources[0]).toEqual({ Type: 'AWS::Lambda::EventSourceMapping', Properties: mapping });
  });
});
