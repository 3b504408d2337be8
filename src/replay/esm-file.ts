import { readFile } from 'node:fs/promises';
import { parseStreamRef } from '../aws/stream-ref.js';
import { compileFilterPatterns, MAX_FILTER_PATTERNS } from '../records/filter-pattern.js';
import { UsageError } from '../util/errors.js';
import { LAMBDA_DEFAULTS } from './esm-mapping.js';
import { MAPPING_RANGES } from './options.js';

/** What an ESM file sets, as the command-line options that set the same (strings, as commander gives them). */
export interface EsmFileOptions {
  from?: 'trim-horizon' | 'latest';
  batchSize?: string;
  batchWindow?: string;
  parallelizationFactor?: string;
  maxRetries?: string;
  bisectOnError?: boolean;
  maxRecordAge?: string;
  reportBatchItemFailures?: boolean;
  filter?: string[];
  tumblingWindow?: string;
  functionName?: string;
}

export interface EsmFile {
  /** EventSourceArn: the stream, unless the command line names one. */
  streamArn?: string;
  options: EsmFileOptions;
}

type Check = (value: unknown) => boolean;
const integerIn = (min: number, max: number): Check => (value) => Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;

/**
 * Reads an event source mapping as `aws lambda get-event-source-mapping` prints it, as
 * `--print-esm` writes it, or a CloudFormation template with one AWS::Lambda::EventSourceMapping.
 * Settings a local replay has no use for (UUID, State, FunctionArn, LastModified,
 * DestinationConfig, ...) are ignored; a setting with a value Lambda would refuse is a usage error
 * naming it. A setting left out means Lambda's default, so MaximumRetryAttempts left out is -1.
 */
export async function readEsmFile(file: string): Promise<EsmFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--esm ${file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--esm ${file} is not JSON (${(error as Error).message}): give the output of aws lambda get-event-source-mapping or --print-esm`);
  }
  return parseEsm(mappingOf(document, file), file);
}

/** The mapping's settings: the document itself, or the one mapping resource of a template. */
function mappingOf(document: unknown, file: string): Record<string, unknown> {
  const notMapping = new UsageError(
    `--esm ${file} is not an event source mapping: expected an object with EventSourceArn, BatchSize, ... ` +
      '(aws lambda get-event-source-mapping --uuid ID > esm.json)',
  );
  if (!isRecord(document)) throw notMapping;
  if (isRecord(document.Resources)) {
    const resources = Object.values(document.Resources).filter((resource) => isRecord(resource) && resource.Type === 'AWS::Lambda::EventSourceMapping');
    if (resources.length !== 1) {
      throw new UsageError(`--esm ${file} is a template with ${resources.length} AWS::Lambda::EventSourceMapping resources: keep the one to replay`);
    }
    const properties = (resources[0] as Record<string, unknown>).Properties;
    if (!isRecord(properties)) throw notMapping;
    return properties;
  }
  const known = ['EventSourceArn', 'FunctionArn', 'FunctionName', 'StartingPosition', ...Object.keys(LAMBDA_DEFAULTS)];
  if (!known.some((key) => key in document)) throw notMapping;
  return document;
}

export function parseEsm(esm: Record<string, unknown>, file: string): EsmFile {
  const invalid = (key: string, rule: string): UsageError =>
    new UsageError(`--esm ${file}: ${key} must be ${rule} (got ${JSON.stringify(esm[key]) ?? 'undefined'})`);
  const number = (key: string, check: Check, rule: string): string | undefined => {
    const value = esm[key];
    if (value === undefined || value === null) return undefined;
    if (!check(value)) throw invalid(key, rule);
    return String(value);
  };
  const range = (key: keyof typeof MAPPING_RANGES, lambdaKey: string, unit: string): string | undefined => {
    const { min, max } = MAPPING_RANGES[key];
    return number(lambdaKey, integerIn(min, max), `${unit} from ${min} to ${max}`);
  };
  const options: EsmFileOptions = {};
  let streamArn: string | undefined;

  if (esm.EventSourceArn !== undefined) {
    const arn = esm.EventSourceArn;
    if (typeof arn !== 'string' || !arn.startsWith('arn:')) throw invalid('EventSourceArn', 'a DynamoDB stream ARN');
    try {
      if (parseStreamRef(arn).kind !== 'arn') throw new Error();
    } catch {
      throw invalid('EventSourceArn', 'a DynamoDB stream ARN (arn:aws:dynamodb:REGION:ACCOUNT:table/TABLE/stream/LABEL)');
    }
    streamArn = arn;
  }
  // get-event-source-mapping prints FunctionArn; a --print-esm file has FunctionName.
  const name = esm.FunctionName ?? esm.FunctionArn;
  if (name !== undefined) {
    if (typeof name !== 'string' || name === '') throw invalid(esm.FunctionName !== undefined ? 'FunctionName' : 'FunctionArn', 'a function name or ARN');
    options.functionName = name;
  }
  if (esm.StartingPosition !== undefined) {
    if (esm.StartingPosition === 'TRIM_HORIZON') options.from = 'trim-horizon';
    else if (esm.StartingPosition === 'LATEST') options.from = 'latest';
    else throw invalid('StartingPosition', 'TRIM_HORIZON or LATEST (a DynamoDB stream mapping has no AT_TIMESTAMP)');
  }
  const set = <K extends keyof EsmFileOptions>(key: K, value: EsmFileOptions[K] | undefined): void => {
    if (value !== undefined) options[key] = value;
  };
  set('batchSize', range('batchSize', 'BatchSize', 'an integer'));
  set('batchWindow', range('batchWindow', 'MaximumBatchingWindowInSeconds', 'a whole number of seconds'));
  set('parallelizationFactor', range('parallelizationFactor', 'ParallelizationFactor', 'an integer'));
  options.maxRetries = range('maxRetries', 'MaximumRetryAttempts', 'an integer') ?? String(LAMBDA_DEFAULTS.MaximumRetryAttempts);
  set('maxRecordAge', number('MaximumRecordAgeInSeconds', (value) => value === -1 || integerIn(MAPPING_RANGES.maxRecordAge.min, MAPPING_RANGES.maxRecordAge.max)(value),
    '-1 (no limit) or a whole number of seconds from 60 to 604800'));
  const window = number('TumblingWindowInSeconds', integerIn(0, MAPPING_RANGES.tumblingWindow.max), 'a whole number of seconds from 0 to 900');
  if (window !== undefined && window !== '0') options.tumblingWindow = window;
  if (esm.BisectBatchOnFunctionError !== undefined && esm.BisectBatchOnFunctionError !== null) {
    if (typeof esm.BisectBatchOnFunctionError !== 'boolean') throw invalid('BisectBatchOnFunctionError', 'true or false');
    if (esm.BisectBatchOnFunctionError) options.bisectOnError = true;
  }
  const types = esm.FunctionResponseTypes;
  if (types !== undefined && types !== null) {
    if (!Array.isArray(types) || types.some((type) => type !== 'ReportBatchItemFailures')) {
      throw invalid('FunctionResponseTypes', 'a list of "ReportBatchItemFailures" (the only response type)');
    }
    if (types.length > 0) options.reportBatchItemFailures = true;
  }
  set('filter', filterPatterns(esm.FilterCriteria, file));
  return { ...(streamArn ? { streamArn } : {}), options };
}

function filterPatterns(criteria: unknown, file: string): string[] | undefined {
  if (criteria === undefined || criteria === null) return undefined;
  const filters = isRecord(criteria) ? criteria.Filters : undefined;
  const shape = `FilterCriteria must be {"Filters": [{"Pattern": "<JSON text>"}, ...]} with at most ${MAX_FILTER_PATTERNS} patterns`;
  if (filters === undefined || filters === null) return undefined;
  if (!Array.isArray(filters) || filters.length > MAX_FILTER_PATTERNS) throw new UsageError(`--esm ${file}: ${shape}`);
  return filters.map((filter, i) => {
    const pattern = isRecord(filter) ? filter.Pattern : undefined;
    if (typeof pattern !== 'string') throw new UsageError(`--esm ${file}: FilterCriteria.Filters[${i}].Pattern is not a JSON text; ${shape}`);
    try {
      compileFilterPatterns([pattern]);
    } catch (error) {
      throw new UsageError(`--esm ${file}: FilterCriteria.Filters[${i}].Pattern: ${(error as Error).message.replace(/^--filter #1:? ?/, '')}`);
    }
    return pattern;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
