import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { resolveHandlerSpec } from '../../src/replay/handler-spec.js';
import { INPUT_SHARD, inputPages, readInputFile } from '../../src/replay/input-file.js';
import { parseMappingSettings } from '../../src/replay/options.js';
import { replayPages } from '../../src/replay/stream-source.js';
import type { SelectedBatch } from '../../src/stream/select-records.js';
import { fromLambdaRecord } from '../../src/records/lambda-record.js';
import type { ShardBatch } from '../../src/stream/types.js';
import { flaggedRecords, tempDir, writeNdjson } from './input-fixture.js';
import { makeRecord, seqOf } from './make-records.js';

describe('mapping options', () => {
  it('defaults: batch 100, no window, 3 retries, no age limit, factor 1, 60 s timeout', () => {
    expect(parseMappingSettings({})).toEqual({
      batchSize: 100, batchWindowMs: 0, maxRetries: 3, bisectOnError: false, maxRecordAgeMs: -1,
      reportBatchItemFailures: false, parallelizationFactor: 1, timeoutMs: 60_000,
    });
  });

  it('accepts the edges of every range', () => {
    expect(parseMappingSettings({
      batchSize: '10000', batchWindow: '300', maxRetries: '-1', maxRecordAge: '604800', parallelizationFactor: '10', timeout: '900',
    })).toMatchObject({ batchSize: 10000, batchWindowMs: 300_000, maxRetries: -1, maxRecordAgeMs: 604_800_000, parallelizationFactor: 10, timeoutMs: 900_000 });
    expect(parseMappingSettings({ maxRecordAge: '60', maxRetries: '10000', batchSize: '1' }))
      .toMatchObject({ maxRecordAgeMs: 60_000, maxRetries: 10000, batchSize: 1 });
  });

  it.each([
    ['batchSize', '10001', '--batch-size'],
    ['batchSize', '1.5', '--batch-size'],
    ['batchWindow', '301', '--batch-window'],
    ['maxRetries', '10001', '--max-retries'],
    ['maxRecordAge', '59', '--max-record-age'],
    ['maxRecordAge', '0', '--max-record-age'],
    ['parallelizationFactor', '0', '--parallelization-factor'],
    ['timeout', '0', '--timeout'],
    ['timeout', 'ten', '--timeout'],
  ])('%s=%s is refused, naming %s', (key, value, flag) => {
    expect(() => parseMappingSettings({ [key]: value })).toThrow(UsageError);
    expect(() => parseMappingSettings({ [key]: value })).toThrow(new RegExp(`^${flag} must be .*\\(got "${value.replace('.', '\\.')}"\\)\\.$`));
  });
});

describe('handler names', () => {
  const dir = tempDir();
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'src', 'index.mjs'), '');
  writeFileSync(path.join(dir, 'handler.ts'), '');
  writeFileSync(path.join(dir, 'my handler.cjs'), '');

  it('a file path, with the function name from the file name', () => {
    expect(resolveHandlerSpec('./handler.ts', undefined, dir)).toEqual({
      file: path.join(dir, 'handler.ts'), display: './handler.ts', functionName: 'handler', typescript: true,
    });
    expect(resolveHandlerSpec('my handler.cjs', 'run', dir)).toMatchObject({ exportName: 'run', functionName: 'my-handler', typescript: false });
  });

  it('Lambda\'s form finds the module by extension and takes the export (nested too)', () => {
    expect(resolveHandlerSpec('src/index.handler', undefined, dir)).toMatchObject({ file: path.join(dir, 'src', 'index.mjs'), exportName: 'handler', functionName: 'index' });
    expect(resolveHandlerSpec('src/index.api.handle', undefined, dir)).toMatchObject({ exportName: 'api.handle' });
  });

  it.each([
    ['./missing.mjs', undefined, /^handler file \.\/missing\.mjs not found/],
    ['src/missing.handler', undefined, /^handler src\/missing\.handler: no module file src\/missing\.\{js,mjs,cjs,ts,mts,cts\}/],
    ['src/index', undefined, /^handler src\/index not found\. Give a file/],
    ['src/index.handler', 'other', /already names the export "handler"; drop --handler-export other/],
    ['./handler.ts', 'no-such!', /^--handler-export "no-such!" is not an export name/],
    ['', undefined, /^--handler is empty/],
  ])('%s (export %s) is a usage error', (handler, exportName, message) => {
    expect(() => resolveHandlerSpec(handler, exportName, dir)).toThrow(message);
  });
});

describe('--input files', () => {
  it('reads `export --raw` lines, failure-file lines (in their shard) and Lambda events; blank lines are fine', async () => {
    const dir = tempDir();
    const [a, b, c, d] = flaggedRecords(4);
    const failure = { requestContext: {}, DDBStreamBatchInfo: { shardId: 'shardId-0001' }, records: [b, c] };
    const file = writeNdjson(dir, 'mixed.ndjson', [a, failure, { Records: [d] }]);
    writeFileSync(file, readFileSync(file, 'utf8').replace('\n', '\n\n'));
    const records = await readInputFile(file);
    expect(records).toEqual([
      { shardId: INPUT_SHARD, record: a },
      { shardId: 'shardId-0001', record: b },
      { shardId: 'shardId-0001', record: c },
      { shardId: INPUT_SHARD, record: d },
    ]);
    const pages = [];
    for await (const page of inputPages(records)) pages.push([page.shardId, page.records.length]);
    expect(pages).toEqual([[INPUT_SHARD, 1], ['shardId-0001', 2], [INPUT_SHARD, 1]]);
  });

  it('reads a pretty-printed Lambda event (a sample event file)', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'event.json');
    writeFileSync(file, JSON.stringify({ Records: flaggedRecords(2) }, null, 2));
    expect(await readInputFile(file)).toHaveLength(2);
  });

  it.each([
    ['{"eventID":"1"', /line 3 is not valid JSON/],
    ['{"sequenceNumber":"1","eventName":"INSERT","keys":{}}', /line 3 is an `export` line; replay needs the Lambda form: export with --raw\.$/],
    ['{"hello":"world"}', /line 3 is not a record: expected an `export --raw` line/],
    [JSON.stringify({ ...makeRecord(1), eventName: 'UPSERT' }), /line 3: the record 1 is not a Lambda DynamoDB record \(eventName is not INSERT, MODIFY or REMOVE\)\.$/],
    [JSON.stringify({ records: [makeRecord(1), { ...makeRecord(2), dynamodb: { ...makeRecord(2).dynamodb, SequenceNumber: 12 } }] }),
      /line 3: record 2 is not a Lambda DynamoDB record \(dynamodb\.SequenceNumber is not a string of digits\)\.$/],
  ])('a bad line names its number: %s', async (line, message) => {
    const dir = tempDir();
    const file = path.join(dir, 'bad.ndjson');
    writeFileSync(file, [JSON.stringify(makeRecord(1)), JSON.stringify(makeRecord(2)), line].join('\n'));
    await expect(readInputFile(file)).rejects.toThrow(UsageError);
    await expect(readInputFile(file)).rejects.toThrow(message);
  });

  it('a missing file and a directory are usage errors', async () => {
    const dir = tempDir();
    await expect(readInputFile(path.join(dir, 'nope.ndjson'))).rejects.toThrow(/^--input file .*nope\.ndjson not found\.$/);
    await expect(readInputFile(dir)).rejects.toThrow(/is a directory/);
  });
});

describe('stream pages', () => {
  const stream = (shardId: string, seqs: number[]) =>
    seqs.map((n) => fromLambdaRecord(makeRecord(n, `k${n}`, { time: 1_700_000_000 + n }), shardId));

  async function collect(batches: SelectedBatch[]) {
    async function* source(): AsyncGenerator<SelectedBatch> {
      yield* batches;
    }
    const out = [];
    for await (const page of replayPages(source())) out.push(page);
    return out;
  }

  it('turns the session\'s pages into Lambda records, with how far each page accounts for and what it dropped', async () => {
    const all = stream('a', [1, 2, 3, 4]);
    const source: ShardBatch = { shardId: 'a', records: all, end: true, caughtUp: true };
    const pages = await collect([
      { shardId: 'a', records: [all[1]!], through: all[2]!.sequenceNumber, end: false, source },
      { shardId: 'a', records: [], end: true, source: { ...source, records: [] } },
    ]);
    expect(pages).toEqual([
      { shardId: 'a', records: [makeRecord(2, 'k2', { time: 1_700_000_002 })], end: false, caughtUp: true, through: seqOf(3), skipped: 2 },
      { shardId: 'a', records: [], end: true, caughtUp: true, skipped: 0 },
    ]);
  });
});
