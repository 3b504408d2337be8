import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { createClients, type AwsClients } from '../../src/aws/clients.js';
import { resolveAwsConfig } from '../../src/aws/client-config.js';
import { diffImages, formatAttributeName } from '../../src/records/diff.js';
import type { StreamRecord } from '../../src/records/record.js';
import { diffToJson } from '../../src/render/diff-json.js';
import { toNdjsonLine, toRawLine } from '../../src/render/ndjson.js';
import { renderRecord } from '../../src/render/record-text.js';
import { terminalSafe } from '../../src/render/terminal-text.js';
import { replayPages } from '../../src/replay/stream-source.js';
import { readStream } from '../../src/stream/reader.js';
import type { SelectedBatch } from '../../src/stream/select-records.js';
import { startFakeStreams, type FakeStreams, type WireAttributeMap } from '../fake-streams/index.js';
import { canonNative, parseLossless, patchNative, valueAt } from './attribute-kind-judge.js';
import { canonItem, itemArbitrary, nativeItemJson, wireItem, type Item } from './attribute-kind-items.js';

/**
 * Arbitrary items (every type, nesting, empty and untyped-empty maps, sets, numbers across
 * DynamoDB's whole range and spellings, Object.prototype's names, `__proto__`, Unicode) served by
 * the fake DynamoDB Streams endpoint as INSERT, MODIFY and REMOVE, read by the real reader, and
 * checked in every form ddbstream writes them. The judges are independent of the code under test:
 * the served wire text itself (raw, replay), and a canonical form computed from the generated
 * item (NDJSON, diff, plain text).
 *
 * A fixed seed under CI, a random one locally; fast-check prints the seed (and the shrunk item)
 * of a failure, and `SEED=n` reruns it.
 */
const SEED = process.env.SEED ? Number(process.env.SEED) : process.env.CI ? 20_261_202 : Date.now() % 2 ** 31;
const RUNS = 30;

let fake: FakeStreams;
let clients: AwsClients;
let tables = 0;

beforeAll(async () => {
  fake = await startFakeStreams();
  clients = createClients(resolveAwsConfig({ endpointUrl: fake.endpoint }, {}));
});
afterAll(async () => {
  clients.destroy();
  await fake.close();
});

/** Serves each pair as INSERT(new), MODIFY(old → new), REMOVE(old), all in one new stream, and reads them back. */
async function serveAndRead(pairs: [Item, Item][]): Promise<SelectedBatch[]> {
  const tableName = `T${++tables}`;
  const streamArn = fake.addTable({ tableName, stream: { viewType: 'NEW_AND_OLD_IMAGES' } }).streamArn!;
  const shardId = fake.shardsOf(streamArn)[0]!.shardId;
  const keys = { pk: { S: 'item' } };
  fake.appendRecords(shardId, pairs.flatMap(([oldItem, newItem]) => {
    const oldImage = JSON.parse(wireItem(oldItem)) as WireAttributeMap;
    const newImage = JSON.parse(wireItem(newItem)) as WireAttributeMap;
    return [
      { eventName: 'INSERT' as const, keys, newImage },
      { eventName: 'MODIFY' as const, keys, oldImage, newImage },
      { eventName: 'REMOVE' as const, keys, oldImage },
    ];
  }));
  const batches: SelectedBatch[] = [];
  for await (const batch of readStream({
    client: clients.streams, streamArn, table: tableName, start: { type: 'TRIM_HORIZON' }, follow: false,
    pollIntervalMs: 20, describeIntervalMs: 100, retry: { baseMs: 5, maxDelayMs: 40, giveUpAfterMs: 5_000 },
  })) {
    if (batch.records.length === 0) continue;
    batches.push({ shardId: batch.shardId, records: [...batch.records], through: batch.records.at(-1)!.sequenceNumber, end: batch.end, source: batch });
  }
  return batches;
}

/** The wire text with every untyped `{}` written as AWS sends it, `{"M":{}}`, in JSON.parse's key order. */
const lambdaForm = (item: Item): string => JSON.stringify(JSON.parse(wireItem(item, { typedEmptyMaps: true })));

type LambdaRecord = DynamoDBStreamEvent['Records'][number] & { undecodable?: unknown };

/** export: every image in NDJSON has the served values (numbers by value, sets as lists, binary as base64). */
function checkExport([insert, modify, remove]: StreamRecord[], [oldItem, newItem]: [Item, Item]): void {
  const lines = [insert!, modify!, remove!].map((r) => parseLossless(toNdjsonLine(r)) as Record<string, unknown>);
  expect(lines.map((l) => [l.eventName, l.undecodable])).toEqual([['INSERT', undefined], ['MODIFY', undefined], ['REMOVE', undefined]]);
  expect(canonNative(lines[0]!.keys)).toBe('{"pk":"item"}');
  expect(canonNative(lines[0]!.newImage)).toBe(canonItem(newItem));
  expect(canonNative(lines[1]!.oldImage)).toBe(canonItem(oldItem));
  expect(canonNative(lines[1]!.newImage)).toBe(canonItem(newItem));
  expect(canonNative(lines[2]!.oldImage)).toBe(canonItem(oldItem));
}

/** --raw and replay's events: the served wire values, an untyped {} as {"M":{}}. */
function checkRaw(records: StreamRecord[], [oldItem, newItem]: [Item, Item]): LambdaRecord[] {
  const raw = records.map((r) => JSON.parse(toRawLine(r)) as LambdaRecord);
  expect(raw.map((r) => r.undecodable)).toEqual([undefined, undefined, undefined]);
  expect(JSON.stringify(raw[0]!.dynamodb!.NewImage)).toBe(lambdaForm(newItem));
  expect(JSON.stringify(raw[1]!.dynamodb!.OldImage)).toBe(lambdaForm(oldItem));
  expect(JSON.stringify(raw[1]!.dynamodb!.NewImage)).toBe(lambdaForm(newItem));
  expect(JSON.stringify(raw[2]!.dynamodb!.OldImage)).toBe(lambdaForm(oldItem));
  return raw;
}

/** --diff: applied to the old image it gives the new one, and each "from" is what the old image held. */
function checkDiff(modify: StreamRecord, [oldItem, newItem]: [Item, Item]): void {
  const json = diffToJson(diffImages(modify.oldImage, modify.newImage));
  const diff = parseLossless(json) as DiffEntryJson[];
  const line = parseLossless(toNdjsonLine(modify, { diff: json })) as Record<string, unknown>;
  expect(canonNative(line.diff)).toBe(canonNative(diff));
  const before = parseLossless(nativeItemJson(oldItem));
  for (const entry of diff) {
    if (entry.op === 'add') expect(valueAt(before, entry.path)).toBeUndefined();
    else expect(canonNative(valueAt(before, entry.path))).toBe(canonNative(entry.from));
  }
  expect(canonNative(patchNative(before, diff))).toBe(canonItem(newItem));
}

/** tail's plain text: one row per attribute, names and strings shown exactly, nothing unknown. */
function checkPlain([insert, modify]: StreamRecord[], newItem: Item): void {
  const rows = renderRecord(insert!, { mode: 'diff', color: false }).slice(1);
  const names = ['pk', ...newItem.map(([name]) => name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))];
  expect(rows).toHaveLength(names.length);
  rows.forEach((row, i) => expect(row.trimStart().startsWith(terminalSafe(formatAttributeName(names[i]!)))).toBe(true));
  for (const [name, value] of newItem) {
    const row = rows[names.indexOf(name)]!;
    if (value.t === 'S') expect(row.endsWith(terminalSafe(JSON.stringify(value.v)))).toBe(true);
    if (value.t === 'M' && value.v.length === 0) expect(row.endsWith(' {}')).toBe(true);
  }
  const changes = renderRecord(modify!, { mode: 'diff', color: false }).slice(1);
  expect(changes).toHaveLength(Math.max(diffImages(modify!.oldImage, modify!.newImage).length, 1));
  for (const text of [...rows, ...changes]) expect(text).not.toContain('<unknown');
}

interface DiffEntryJson {
  path: string;
  op: 'add' | 'remove' | 'change';
  from?: unknown;
  to?: unknown;
}

describe('items served through the fake endpoint', () => {
  it(`say exactly what was served in export, --raw, --diff, plain text and replay's events (seed ${SEED})`, async () => {
    const pairs = fc.array(fc.tuple(itemArbitrary, itemArbitrary), { minLength: 1, maxLength: 4 });
    await fc.assert(fc.asyncProperty(pairs, async (served) => {
      const batches = await serveAndRead(served);
      const records = batches.flatMap((b) => b.records);
      expect(records).toHaveLength(served.length * 3);
      const raw: LambdaRecord[] = [];
      served.forEach((pair, i) => {
        const three = records.slice(i * 3, i * 3 + 3);
        checkExport(three, pair);
        raw.push(...checkRaw(three, pair));
        checkDiff(three[1]!, pair);
        checkPlain(three, pair[1]);
      });
      // Replay: what a handler receives, the event as JSON parsed in its own process, is the --raw record.
      const undecodable = { records: 0 };
      const events: string[] = [];
      for await (const page of replayPages((async function* () { yield* batches; })(), undecodable)) {
        const event = JSON.parse(JSON.stringify({ Records: page.records })) as DynamoDBStreamEvent;
        events.push(...event.Records.map((r) => JSON.stringify(r)));
      }
      expect(events).toEqual(raw.map((r) => JSON.stringify(r)));
      expect(undecodable.records).toBe(0);
    }), { seed: SEED, numRuns: RUNS });
  });
});
