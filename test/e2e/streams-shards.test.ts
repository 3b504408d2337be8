import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runShards } from '../../src/commands/shards/run.js';
import type { CommandContext } from '../../src/io/command-context.js';
import { startFakeStreams, type FakeStreams } from '../fake-streams/index.js';
import { cleanEnv, runCli } from '../helpers/cli.js';

let fake: FakeStreams;
let env: NodeJS.ProcessEnv;
let wideArn: string;
let treeArn: string;
let tree: { root: string; shards: string[] };
let oldOrdersArn: string;
let ordersArn: string;

beforeAll(async () => {
  fake = await startFakeStreams();
  env = cleanEnv({ AWS_ENDPOINT_URL: fake.endpoint });
  // Wide: 250 shards, 240 of them closed (three DescribeStream pages).
  wideArn = fake.addTable({ tableName: 'Wide', stream: { shards: 0, viewType: 'KEYS_ONLY' } }).streamArn!;
  fake.addRootShards(wideArn, 240, { lazy: { count: 2 }, closed: true });
  fake.addRootShards(wideArn, 10, { lazy: { count: 1 } });
  // Tree: a binary lineage of three levels, listed in random order.
  treeArn = fake.addTable({ tableName: 'Tree', stream: { shards: 0 } }).streamArn!;
  tree = fake.addLineage(treeArn, { depth: 3, fanout: 2, recordsPerShard: 2 });
  fake.shuffleShards(treeArn, 5);
  // A table whose stream was switched off and on again: two streams, the old one disabled.
  oldOrdersArn = fake.addTable({ tableName: 'Orders', stream: { viewType: 'NEW_IMAGE' } }).streamArn!;
  ordersArn = fake.addStream({ tableName: 'Orders', viewType: 'NEW_AND_OLD_IMAGES' });
  fake.addTable({ tableName: 'Plain' });
});
afterAll(async () => {
  await fake?.close();
});

const tsv = (stdout: string) => stdout.trimEnd().split('\n').map((line) => line.split('\t'));
const jsonLines = (stdout: string) => stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

describe('ddbstream shards', () => {
  it('--json: one object per shard of a 250-shard stream, with state and sequence range', async () => {
    const result = await runCli(['shards', 'Wide', '--json'], { env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const shards = jsonLines(result.stdout);
    const expected = fake.shardsOf(wideArn);
    expect(shards).toHaveLength(250);
    expect(new Set(shards.map((s) => s.shardId))).toEqual(new Set(expected.map((s) => s.shardId)));
    const byId = new Map(shards.map((s) => [s.shardId, s]));
    for (const info of expected) {
      const shard = byId.get(info.shardId)!;
      expect(shard).toMatchObject({
        parentShardId: null,
        state: info.closed ? 'closed' : 'open',
        depth: 0,
        startingSequenceNumber: info.startingSequenceNumber,
        endingSequenceNumber: info.endingSequenceNumber ?? null,
        children: [],
      });
      // The shard id carries its creation time; the trim comes 24 hours later.
      const created = Date.parse(shard.createdAt as string);
      expect(Math.abs(created - Date.now())).toBeLessThan(60_000);
      expect(Date.parse(shard.trimAt as string) - created).toBe(24 * 3600 * 1000);
    }
  });

  it('piped: TSV with a header and one row per shard', async () => {
    const result = await runCli(['shards', wideArn], { env });
    expect(result.code).toBe(0);
    const [header, ...rows] = tsv(result.stdout);
    expect(header).toEqual(['shardId', 'parentShardId', 'state', 'depth', 'startingSequenceNumber', 'endingSequenceNumber', 'createdAt', 'trimAt']);
    expect(rows).toHaveLength(250);
    expect(rows.filter((r) => r[2] === 'open')).toHaveLength(10);
    expect(rows.every((r) => r.length === 8)).toBe(true);
  });

  it('shows a lineage as a tree, parents before their children, whatever the listing order', async () => {
    const json = jsonLines((await runCli(['shards', 'Tree', '--json'], { env })).stdout);
    expect(json).toHaveLength(7);
    const position = new Map(json.map((s, i) => [s.shardId as string, i]));
    for (const shard of json) {
      const info = fake.shardInfo(shard.shardId as string);
      expect(shard.parentShardId).toBe(info.parentShardId ?? null);
      expect(shard.children).toEqual(expect.arrayContaining(info.children));
      if (info.parentShardId) expect(position.get(info.parentShardId)!).toBeLessThan(position.get(info.shardId)!);
    }
    expect(json[0]).toMatchObject({ shardId: tree.root, depth: 0, state: 'closed' });
    expect(json.filter((s) => s.depth === 2 && s.state === 'open')).toHaveLength(4);

    const rows = tsv((await runCli(['shards', 'Tree'], { env })).stdout).slice(1);
    expect(rows.map((r) => r[0])).toEqual(json.map((s) => s.shardId));
    expect(rows.map((r) => r[3])).toEqual(json.map((s) => String(s.depth)));
  });

  it('fails with the update-table command for a table without a stream', async () => {
    const result = await runCli(['shards', 'Plain'], { env });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('table "Plain" has no stream');
    expect(result.stderr).toContain('aws dynamodb update-table --table-name Plain --stream-specification StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES');
  });

  it('fails with one line for a missing table or stream', async () => {
    const table = await runCli(['shards', 'Nope'], { env });
    expect(table.code).toBe(1);
    expect(table.stderr.trim().split('\n')).toHaveLength(1);
    expect(table.stderr).toMatch(/table "Nope" not found.*ddbstream streams/);

    const arn = await runCli(['shards', wideArn.replace('Wide', 'Gone')], { env });
    expect(arn.code).toBe(1);
    expect(arn.stderr.trim().split('\n')).toHaveLength(1);
    expect(arn.stderr).toMatch(/not found/);
    expect(arn.stderr).not.toMatch(/\n\s+at /);
  });
});

/** A stdout that says it is a terminal, to see the table view in-process. */
function terminal(): { stream: NodeJS.WriteStream; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY: true, columns: 200 });
  return { stream, text: () => text };
}

describe('ddbstream shards on a terminal', () => {
  async function table(stream: string): Promise<string[]> {
    const out = terminal();
    const err = terminal();
    const context: CommandContext = {
      stdout: out.stream,
      stderr: err.stream,
      stdin: process.stdin,
      env,
      signal: new AbortController().signal,
      debug: false,
    };
    await runShards(stream, {}, context);
    expect(err.text()).toBe('');
    return out.text().trimEnd().split('\n');
  }

  it('ends the 250-shard table with a correct summary line', async () => {
    const lines = await table('Wide');
    expect(lines[0]).toMatch(/^Wide\s+ENABLED\s+KEYS_ONLY$/);
    expect(lines[1]).toBe(wideArn);
    expect(lines.at(-1)).toBe('250 shards: 10 open, 240 closed, lineage depth 1');
    expect(lines.filter((l) => /^shardId-/.test(l))).toHaveLength(250);
  });

  it('indents children under their parents, with the depth in the summary', async () => {
    const lines = await table('Tree');
    expect(lines.at(-1)).toBe('7 shards: 4 open, 3 closed, lineage depth 3');
    const rows = lines.filter((l) => l.includes('shardId-'));
    expect(rows[0]).toMatch(new RegExp(`^${tree.root}\\s+closed`));
    expect(rows.filter((r) => /^└─ shardId-/.test(r))).toHaveLength(2);
    expect(rows.filter((r) => /^ {2}└─ shardId-\S+\s+open/.test(r))).toHaveLength(4);
  });
});

describe('ddbstream streams', () => {
  it('piped: every stream as TSV, with status and view type', async () => {
    const result = await runCli(['streams'], { env });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const [header, ...rows] = tsv(result.stdout);
    expect(header).toEqual(['TABLE', 'STATUS', 'VIEW TYPE', 'LABEL', 'STREAM ARN']);
    expect(rows.map((r) => [r[0], r[1], r[2], r[4]])).toEqual([
      ['Wide', 'ENABLED', 'KEYS_ONLY', wideArn],
      ['Tree', 'ENABLED', 'NEW_AND_OLD_IMAGES', treeArn],
      ['Orders', 'DISABLED', 'NEW_IMAGE', oldOrdersArn],
      ['Orders', 'ENABLED', 'NEW_AND_OLD_IMAGES', ordersArn],
    ]);
    for (const row of rows) expect(row[4]).toContain(`/stream/${row[3]}`);
  });

  it('--table --json: only that table\'s streams', async () => {
    const result = await runCli(['streams', '--table', 'Orders', '--json'], { env });
    expect(result.code).toBe(0);
    expect(jsonLines(result.stdout)).toEqual([
      { table: 'Orders', streamArn: oldOrdersArn, label: oldOrdersArn.split('/stream/')[1], status: 'DISABLED', viewType: 'NEW_IMAGE' },
      { table: 'Orders', streamArn: ordersArn, label: ordersArn.split('/stream/')[1], status: 'ENABLED', viewType: 'NEW_AND_OLD_IMAGES' },
    ]);
  });

  it('says why nothing is listed for a table without a stream on a local endpoint', async () => {
    const result = await runCli(['streams', '--table', 'Plain'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('TABLE\tSTATUS\tVIEW TYPE\tLABEL\tSTREAM ARN\n');
    expect(result.stderr).toMatch(/no streams for table "Plain".*-sharedDb/);
  });

  it('fails with one line for a missing table', async () => {
    const result = await runCli(['streams', '--table', 'Nope'], { env });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/not found/);
  });

  it('pages ListStreams past 100 streams', async () => {
    const other = await startFakeStreams();
    try {
      for (let i = 0; i < 105; i++) other.addTable({ tableName: `T${String(i).padStart(3, '0')}`, stream: {} });
      const result = await runCli(['streams', '--json'], { env: cleanEnv({ AWS_ENDPOINT_URL: other.endpoint }) });
      expect(result.code).toBe(0);
      expect(jsonLines(result.stdout).map((s) => s.table)).toEqual(other.streams.map((s) => s.tableName));
      expect(other.log.entries({ action: 'ListStreams' }).map((e) => e.params.ExclusiveStartStreamArn ?? null)).toEqual([
        null,
        other.streams[99]!.arn,
      ]);
    } finally {
      await other.close();
    }
  });

  it('describes each stream once, not page by page through its shards', async () => {
    fake.log.clear();
    const result = await runCli(['streams', '--table', 'Wide'], { env });
    expect(result.code).toBe(0);
    expect(fake.log.count({ action: 'DescribeStream' })).toBe(1);
  });
});
