import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, type CliResult } from '../helpers/cli.js';
import { startFakeStreams, type FakeStreams, type WireAttributeMap } from '../fake-streams/index.js';
import { tempDir } from '../helpers/temp-dir.js';

/**
 * A value of a type ddbstream does not know (a future DynamoDB type, or a malformed one) costs
 * only its own record, and not even that: the record is written as it came and marked, the other
 * records of the page are written too, one warning ends the run, and the exit code is 1.
 */
const FIXTURES = fileURLToPath(new URL('../fixtures/handlers/', import.meta.url));

let fake: FakeStreams;
beforeEach(async () => {
  fake = await startFakeStreams();
});
afterEach(async () => {
  await fake.close();
});

const image = (json: string): WireAttributeMap => JSON.parse(json) as WireAttributeMap;

/** One page: a good record, one with a value of an unknown type in a list, another good one. */
function oddStream(): { streamArn: string; shardId: string; sequenceNumbers: string[] } {
  const { streamArn } = fake.addTable({ tableName: 'Odd', stream: { viewType: 'NEW_AND_OLD_IMAGES' } });
  const shardId = fake.shardsOf(streamArn!)[0]!.shardId;
  const sequenceNumbers = fake.appendRecords(shardId, [
    { eventName: 'INSERT', newImage: image('{"pk":{"S":"a"},"n":{"N":"1"}}') },
    { eventName: 'INSERT', newImage: image('{"pk":{"S":"b"},"v":{"L":[{"N":"2"},{"VECTOR":[0.5,-1]}]},"e":{}}') },
    { eventName: 'INSERT', newImage: image('{"pk":{"S":"c"},"s":{"S":"x"}}') },
  ]).map(String);
  return { streamArn: streamArn!, shardId, sequenceNumbers };
}

const cli = (args: string[]): Promise<CliResult> =>
  runCli([...args, '--endpoint-url', fake.endpoint], { env: cleanEnv(), timeoutMs: 30_000 });

const WARNING = /^ddbstream: warning: 1 record holds a value of a type ddbstream does not know: written with the value as it came and an "undecodable" list of its paths \(find them with jq 'select\(\.undecodable\)'\)/;

describe('a record with a value of a type ddbstream does not know', () => {
  it('export: every record written, the odd one as it came and marked; one warning; exit 1; the checkpoint past all three', async () => {
    const { shardId, sequenceNumbers } = oddStream();
    const checkpoint = path.join(tempDir(), 'odd.checkpoint');
    const result = await cli(['export', 'Odd', '--checkpoint', checkpoint]);
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => (l.keys as { pk: string }).pk)).toEqual(['a', 'b', 'c']);
    expect(lines[1]!.newImage).toEqual({ pk: 'b', v: [2, { VECTOR: [0.5, -1] }], e: {} });
    expect(lines.map((l) => l.undecodable)).toEqual([undefined, ['newImage.v[1]'], undefined]);
    const stderr = result.stderr.trim().split('\n');
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(WARNING);
    const saved = JSON.parse(readFileSync(checkpoint, 'utf8')) as { shards: Record<string, { sequenceNumber?: string }> };
    expect(saved.shards[shardId]?.sequenceNumber).toBe(sequenceNumbers[2]);
  });

  it('export --raw: the wire value kept in the Lambda record, the same marker and exit code', async () => {
    oddStream();
    const result = await cli(['export', 'Odd', '--raw']);
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { dynamodb: { NewImage: unknown }; undecodable?: string[] });
    expect(lines).toHaveLength(3);
    expect(lines[1]!.dynamodb.NewImage).toEqual({ pk: { S: 'b' }, v: { L: [{ N: '2' }, { VECTOR: [0.5, -1] }] }, e: { M: {} } });
    expect(lines.map((l) => l.undecodable)).toEqual([undefined, ['newImage.v[1]'], undefined]);
    expect(result.stderr.trim()).toMatch(WARNING);
  });

  it('tail --format plain: the value shown as <unknown …>, the others as usual; one warning; exit 1', async () => {
    oddStream();
    const result = await cli(['tail', 'Odd', '--format', 'plain', '--from', 'trim-horizon', '-n', '3', '--no-color']);
    expect(result.code).toBe(1);
    const blocks = result.stdout.split('\n\n');
    expect(blocks).toHaveLength(3);
    expect(blocks[1]).toContain('v   [2, <unknown {"VECTOR":[0.5,-1]}>]');
    expect(blocks[1]).toContain('e   {}');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(WARNING);
  });

  it('replay: the handler gets every record, the odd value as sent; one warning; exit 1', async () => {
    oddStream();
    const log = path.join(tempDir(), 'calls.ndjson');
    const result = await runCli(['replay', 'Odd', '--handler', path.join(FIXTURES, 'esm.mjs'), '--endpoint-url', fake.endpoint], {
      env: cleanEnv({ HANDLER_LOG: log }), timeoutMs: 30_000,
    });
    expect(result.code).toBe(1);
    expect(existsSync(log)).toBe(true);
    const records = readFileSync(log, 'utf8').trim().split('\n')
      .flatMap((l) => (JSON.parse(l) as { event: { Records: { dynamodb: { NewImage: Record<string, unknown> } }[] } }).event.Records);
    expect(records.map((r) => r.dynamodb.NewImage.pk)).toEqual([{ S: 'a' }, { S: 'b' }, { S: 'c' }]);
    expect(records[1]!.dynamodb.NewImage).toEqual({ pk: { S: 'b' }, v: { L: [{ N: '2' }, { VECTOR: [0.5, -1] }] }, e: { M: {} } });
    const stderr = result.stderr.trim().split('\n');
    expect(stderr.filter((l) => l.includes('warning'))).toEqual([
      'ddbstream: warning: 1 record holds a value of a type ddbstream does not know: the handler got the value as the stream sent it; a newer ddbstream may decode it.',
    ]);
    expect(stderr.at(-1)).toMatch(/^ddbstream: warning/);
  });
});
