import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/util/errors.js';
import { INPUT_SHARD, inputPages, readInputFile } from '../../src/replay/input-file.js';
import { tempDir } from '../helpers/temp-dir.js';
import { flaggedRecords, writeNdjson } from './input-fixture.js';
import { makeRecord } from './make-records.js';

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
