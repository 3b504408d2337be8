import type { FromSpec } from '../stream/position.js';
import { filterCriteriaPatterns, type RawFilterOptions } from './esm-filter.js';
import type { MappingSettings } from './options.js';

/**
 * An event source mapping for a DynamoDB stream, with the member names, types and ranges of
 * Lambda's CreateEventSourceMapping request (`aws lambda create-event-source-mapping
 * --cli-input-json`) and of the AWS::Lambda::EventSourceMapping resource's properties, which
 * share them. Only settings that differ from Lambda's defaults are present, except the three a
 * stream mapping requires.
 */
export interface EventSourceMapping {
  EventSourceArn: string;
  FunctionName: string;
  StartingPosition: 'TRIM_HORIZON' | 'LATEST';
  /** 1–10000; Lambda's default 100. */
  BatchSize?: number;
  /** 0–300; default 0. */
  MaximumBatchingWindowInSeconds?: number;
  /** 1–10; default 1. */
  ParallelizationFactor?: number;
  /** -1 (forever, the default) to 10000. */
  MaximumRetryAttempts?: number;
  BisectBatchOnFunctionError?: boolean;
  /** -1 (no limit, the default) or 60–604800. */
  MaximumRecordAgeInSeconds?: number;
  FunctionResponseTypes?: ['ReportBatchItemFailures'];
  /** Up to 5 patterns, ORed; each a JSON text. */
  FilterCriteria?: { Filters: Array<{ Pattern: string }> };
  /** 0 (none, the default) to 900. */
  TumblingWindowInSeconds?: number;
}

/** Lambda's defaults: a setting equal to one of these is left out. */
export const LAMBDA_DEFAULTS = {
  BatchSize: 100,
  MaximumBatchingWindowInSeconds: 0,
  ParallelizationFactor: 1,
  MaximumRetryAttempts: -1,
  BisectBatchOnFunctionError: false,
  MaximumRecordAgeInSeconds: -1,
  TumblingWindowInSeconds: 0,
} as const;

/** Stands in for `--function-name` when it is not given; `aws lambda` refuses it, on purpose. */
export const FUNCTION_NAME_PLACEHOLDER = 'REPLACE_WITH_FUNCTION_NAME';

export interface MappingInput {
  streamArn: string;
  functionName?: string;
  from: FromSpec;
  settings: Omit<MappingSettings, 'timeoutMs' | 'memoryMb'>;
  filters: RawFilterOptions;
  /** Options given that a mapping has no place for. */
  onFailure?: string;
  until?: boolean;
  maxRecords?: boolean;
}

export interface BuiltMapping {
  mapping: EventSourceMapping;
  /** One line each, for stderr: what the mapping could not carry, and what to do. */
  notes: string[];
}

/** The event source mapping that runs in Lambda what this replay runs locally. */
export function buildMapping(input: MappingInput): BuiltMapping {
  const { settings } = input;
  const notes: string[] = [];
  const mapping: EventSourceMapping = {
    EventSourceArn: input.streamArn,
    FunctionName: input.functionName ?? FUNCTION_NAME_PLACEHOLDER,
    StartingPosition: input.from.kind === 'latest' ? 'LATEST' : 'TRIM_HORIZON',
  };
  if (!input.functionName) {
    notes.push(`FunctionName is the placeholder ${FUNCTION_NAME_PLACEHOLDER}: give --function-name NAME, or edit it before creating the mapping`);
  }
  if (input.from.kind === 'sequence' || input.from.kind === 'time') {
    notes.push(`--from ${input.from.kind === 'time' ? 'a time' : 'a sequence number'} has no event source mapping equivalent ` +
      '(a DynamoDB stream mapping starts at TRIM_HORIZON or LATEST): StartingPosition is TRIM_HORIZON');
  }
  const seconds = (ms: number): number => (ms < 0 ? -1 : Math.round(ms / 1000));
  const set = <K extends keyof typeof LAMBDA_DEFAULTS>(key: K, value: number | boolean): void => {
    if (value !== LAMBDA_DEFAULTS[key]) (mapping as unknown as Record<string, number | boolean>)[key] = value;
  };
  set('BatchSize', settings.batchSize);
  set('MaximumBatchingWindowInSeconds', seconds(settings.batchWindowMs));
  set('ParallelizationFactor', settings.parallelizationFactor);
  set('MaximumRetryAttempts', settings.maxRetries);
  set('BisectBatchOnFunctionError', settings.bisectOnError);
  set('MaximumRecordAgeInSeconds', seconds(settings.maxRecordAgeMs));
  if (settings.reportBatchItemFailures) mapping.FunctionResponseTypes = ['ReportBatchItemFailures'];
  const patterns = filterCriteriaPatterns(input.filters);
  if (patterns.length > 0) mapping.FilterCriteria = { Filters: patterns.map((Pattern) => ({ Pattern })) };
  set('TumblingWindowInSeconds', settings.tumblingWindowSeconds);
  if (input.onFailure) {
    notes.push(`--on-failure ${input.onFailure} has no equivalent in a mapping: DestinationConfig.OnFailure.Destination needs the ARN of an SQS queue, SNS topic, S3 bucket or Kafka cluster`);
  }
  if (settings.eventShape === 'pipes') {
    notes.push('--event-shape pipes: this is a Lambda event source mapping; a Pipe is created with aws pipes create-pipe and its own SourceParameters');
  }
  if (input.until || input.maxRecords) {
    notes.push(`${input.until ? '--until' : '-n/--max-records'} has no equivalent in a mapping: Lambda reads on until the mapping is disabled`);
  }
  return { mapping, notes };
}

/** The CLI input JSON (`--print-esm json`). */
export function mappingJson(mapping: EventSourceMapping): string {
  return `${JSON.stringify(mapping, null, 2)}\n`;
}

/** A template with one AWS::Lambda::EventSourceMapping resource (`--print-esm cloudformation`). */
export function mappingCloudFormation(mapping: EventSourceMapping): string {
  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: {
      StreamEventSourceMapping: { Type: 'AWS::Lambda::EventSourceMapping', Properties: mapping },
    },
  };
  return `${JSON.stringify(template, null, 2)}\n`;
}

export const PRINT_FORMATS = ['json', 'cloudformation'] as const;
export type PrintFormat = (typeof PRINT_FORMATS)[number];
