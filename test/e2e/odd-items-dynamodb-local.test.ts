import { beforeAll, describe, expect, it } from 'vitest';
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { runCli, type CliResult } from '../helpers/cli.js';
import { useDynamoDbLocal } from '../helpers/dynamodb-local.js';
import { canonNative, parseLossless } from '../records/attribute-kind-judge.js';

const local = useDynamoDbLocal();

/**
 * Items DynamoDB accepts and DynamoDB Local streams in its own way: an empty map (which it sends
 * as an untyped `{}`), unnormalised numbers inside maps and lists, and attribute names that are
 * also Object.prototype's members. Every command says exactly what was written.
 */
function oddItem(): Record<string, AttributeValue> {
  // Computed keys: an own attribute named __proto__, not a prototype.
  return {
    pk: { S: 'odd' },
    ['__proto__']: { S: 'proto' },
    constructor: { S: 'c' },
    toString: { N: '7' },
    metadata: { M: {} },
    list: { L: [{ M: {} }, { M: { hasOwnProperty: { N: '+100' } } }, { N: '.5' }] },
    nested: { M: { ['__proto__']: { M: {} } } },
  };
}

const line = (text: string): Record<string, unknown> => parseLossless(text) as Record<string, unknown>;
const canon = (json: string): string => canonNative(parseLossless(json));

describe('odd but legal items on DynamoDB Local', () => {
  let table: string;
  const cli = (args: string[]): Promise<CliResult> => runCli([...args], { env: local.cliEnv(), timeoutMs: 20_000 });

  beforeAll(async () => {
    let streamArn: string;
    ({ tableName: table, streamArn } = await local.createTableWithStream(local.tableName('odd')));
    await local.dynamodb.send(new PutItemCommand({ TableName: table, Item: oddItem() }));
    await local.dynamodb.send(new UpdateItemCommand({
      TableName: table,
      Key: { pk: { S: 'odd' } },
      UpdateExpression: 'SET #v = :v REMOVE #c',
      ExpressionAttributeNames: { '#v': 'valueOf', '#c': 'constructor' },
      ExpressionAttributeValues: { ':v': { N: '1E+125' } },
    }));
    await local.dynamodb.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'odd' } } }));
    const raw = await local.readStreamRecords(streamArn, 3);
    // What this test is about: DynamoDB Local sends the empty map untyped.
    expect(JSON.stringify(raw[0]!.dynamodb?.NewImage?.metadata)).toBe('{}');
  });

  it('export: every attribute, {} for the empty maps, numbers as valid JSON with their value; exit 0', async () => {
    const result = await cli(['export', table]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [insert, modify, remove] = result.stdout.trim().split('\n').map(line);
    expect(canonNative(insert!.newImage)).toBe(canon(
      '{"pk":"odd","__proto__":"proto","constructor":"c","toString":7,"metadata":{},"list":[{},{"hasOwnProperty":100},0.5],"nested":{"__proto__":{}}}',
    ));
    expect(canonNative(modify!.newImage)).toBe(canon(
      `{"pk":"odd","__proto__":"proto","valueOf":1${'0'.repeat(125)},"toString":7,"metadata":{},"list":[{},{"hasOwnProperty":100},0.5],"nested":{"__proto__":{}}}`,
    ));
    expect(canonNative(remove!.oldImage)).toBe(canonNative(modify!.newImage));
    // The unnormalised numbers became valid JSON, not strings: jq reads them as numbers.
    expect(result.stdout).toContain('"hasOwnProperty":100');
    expect(result.stdout).toContain(',0.5]');
    expect(result.stdout).not.toContain('undecodable');
  });

  it('--raw: the Lambda record AWS would send, {"M":{}} for the empty maps and __proto__ kept', async () => {
    const result = await cli(['export', table, '--raw']);
    expect(result.code).toBe(0);
    const insert = line(result.stdout.split('\n')[0]!) as { dynamodb: { NewImage: unknown } };
    expect(canonNative(insert.dynamodb.NewImage)).toBe(canon(
      '{"pk":{"S":"odd"},"__proto__":{"S":"proto"},"constructor":{"S":"c"},"toString":{"N":"7"},"metadata":{"M":{}},' +
        '"list":{"L":[{"M":{}},{"M":{"hasOwnProperty":{"N":"+100"}}},{"N":".5"}]},"nested":{"M":{"__proto__":{"M":{}}}}}',
    ));
  });

  it('--diff: the removed constructor and the added valueOf, nothing else', async () => {
    const result = await cli(['export', table, '--diff', '--event', 'MODIFY']);
    expect(result.code).toBe(0);
    const modify = line(result.stdout.trim());
    expect(canonNative(modify.diff)).toBe(canon(
      `[{"path":"constructor","op":"remove","from":"c"},{"path":"valueOf","op":"add","to":1E+125}]`,
    ));
  });

  it('tail --format plain: every attribute in the blocks, + and - lines for the change, empty maps as {}', async () => {
    const result = await cli(['tail', table, '--format', 'plain', '--from', 'trim-horizon', '-n', '3', '--no-color']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const blocks = result.stdout.split('\n\n');
    expect(blocks).toHaveLength(3);
    const rows = (block: string) => block.split('\n').slice(1).map((row) => row.trim().split(/\s{2,}/));
    expect(rows(blocks[0]!)).toEqual([
      ['pk', '"odd"'],
      ['__proto__', '"proto"'],
      ['constructor', '"c"'],
      ['list', '[{}, {hasOwnProperty: +100}, .5]'],
      ['metadata', '{}'],
      ['nested', '{__proto__: {}}'],
      ['toString', '7'],
    ]);
    // The number as the stream sent it: the digits, whichever notation DynamoDB Local chose.
    expect(rows(blocks[1]!)).toEqual([['- constructor', '"c"'], ['+ valueOf', expect.stringMatching(/^(1E\+125|10{125})$/)]]);
    expect(rows(blocks[2]!.trimEnd()).map(([name]) => name)).toEqual(['pk', '__proto__', 'list', 'metadata', 'nested', 'toString', 'valueOf']);
    expect(result.stdout).not.toContain('<unknown');
  });
});
