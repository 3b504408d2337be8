import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startFakeStreams, syntheticRecords, type FakeStreams } from '../fake-streams/index.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { useDynamoDbLocal } from '../helpers/dynamodb-local.js';
import { LeaseTable } from '../../src/lease/lease-table.js';
import type { Lease } from '../../src/lease/lease.js';
import { parseNdjson, startCli, type RunningCli } from './export-helpers.js';
import { hasScript, onTerminal } from '../helpers/terminal.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { leasesOf as leasesIn, until } from './group-helpers.js';

/**
 * Short, so takeovers are quick to test; long enough that a busy machine's pauses do not lapse
 * a live worker's leases (renewed every third of it).
 */
const LEASE_SECONDS = 3;

interface Line {
  shardId: string;
  sequenceNumber: string;
}

const local = useDynamoDbLocal();
const folder = useTempDir('ddbstream-group-');
let fake: FakeStreams | undefined;
const running: RunningCli[] = [];
afterEach(async () => {
  for (const cli of running.splice(0)) cli.child.kill('SIGKILL');
  await fake?.close();
  fake = undefined;
});

/** Leases in DynamoDB Local, the stream on the fake: the two endpoints set apart, as the SDK reads them. */
function env(f: FakeStreams): NodeJS.ProcessEnv {
  return cleanEnv({ AWS_ENDPOINT_URL_DYNAMODB: local.endpoint, AWS_ENDPOINT_URL_DYNAMODB_STREAMS: f.endpoint });
}

/** A stream of `roots` root shards and a three-level tree, `perShard` records in each. */
async function startStream(roots: number, perShard: number, open = false): Promise<{ f: FakeStreams; streamArn: string }> {
  const f = (fake = await startFakeStreams());
  const { streamArn } = f.addTable({ tableName: 'Orders', stream: { shards: 0 } });
  const generate = syntheticRecords({ keySpace: 50 });
  f.addRootShards(streamArn!, roots, { lazy: { count: perShard, generate }, closed: !open });
  if (!open) f.addLineage(streamArn!, { depth: 3, fanout: 2, recordsPerShard: perShard, generate, closeLeaves: true });
  return { f, streamArn: streamArn! };
}

function allSequenceNumbers(f: FakeStreams, streamArn: string): string[] {
  return f.shardsOf(streamArn).flatMap((shard) => f.recordsOf(shard.shardId).map((r) => (r.dynamodb as { SequenceNumber: string }).SequenceNumber)).sort();
}

function worker(streamArn: string, f: FakeStreams, group: string, id: string, extra: string[] = []): RunningCli {
  const cli = startCli(['export', streamArn, '--group', group, '--lease-table', group, '--worker-id', id, '--lease-duration', String(LEASE_SECONDS), ...extra], env(f));
  running.push(cli);
  return cli;
}

const leasesOf = (table: string): Promise<Lease[]> => leasesIn(local.dynamodb, table);

function owners(leases: Lease[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const lease of leases) if (lease.leaseOwner) counts.set(lease.leaseOwner, (counts.get(lease.leaseOwner) ?? 0) + 1);
  return counts;
}

describe('export --group', () => {
  it('splits a stream between three workers that together write every record', async () => {
    const { f, streamArn } = await startStream(12, 300);
    f.faults.setLatency(15);
    const group = local.tableName('three');
    const workers = ['w1', 'w2', 'w3'].map((id) => worker(streamArn, f, group, id));
    const exits = await Promise.all(workers.map((w) => w.exited));
    expect(exits.map((e) => e.code), workers.map((w) => w.stderr()).join('\n')).toEqual([0, 0, 0]);
    const lines = workers.flatMap((w) => parseNdjson<Line>(w.stdout()));
    // Exactly once: no worker died, and a hand-off waits for the checkpoint of what was delivered.
    expect(lines.map((l) => l.sequenceNumber).sort()).toEqual(allSequenceNumbers(f, streamArn));
    const leases = await leasesOf(group);
    expect(leases).toHaveLength(19);
    expect(leases.every((l) => l.checkpoint === 'SHARD_END' && !l.leaseOwner)).toBe(true);
  }, 60_000);

  it('balances when a worker joins late, and the two deliver every record', async () => {
    const { f, streamArn } = await startStream(8, 100, true);
    const group = local.tableName('late');
    const first = worker(streamArn, f, group, 'early', ['--follow']);
    await until(async () => (owners(await leasesOf(group)).get('early') === 8 ? true : undefined), 20_000);
    const second = worker(streamArn, f, group, 'late', ['--follow']);
    const split = await until(async () => {
      const counts = owners(await leasesOf(group));
      return counts.get('early') === 4 && counts.get('late') === 4 ? counts : undefined;
    }, 20_000);
    expect(split.size).toBe(2);
    // New records go to whoever holds their shard now.
    for (const shard of f.shardsOf(streamArn)) f.appendGenerated(shard.shardId, { count: 20, generate: syntheticRecords({ keySpace: 5 }) });
    const total = allSequenceNumbers(f, streamArn);
    await until(async () => (first.lines.length + second.lines.length >= total.length ? true : undefined), 20_000);
    first.child.kill('SIGTERM');
    second.child.kill('SIGTERM');
    await Promise.all([first.exited, second.exited]);
    const lines = [first, second].flatMap((w) => parseNdjson<Line>(w.stdout()));
    expect(lines.map((l) => l.sequenceNumber).sort()).toEqual(total);
    expect(parseNdjson<Line>(second.stdout()).length).toBeGreaterThan(0);
  }, 60_000);

  it('stops at --until as one process does: the workers write those records once between them, and exit 0', async () => {
    const { f, streamArn } = await startStream(6, 200);
    const all = allSequenceNumbers(f, streamArn).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    const until = all[Math.floor(all.length / 2)]!;
    const alone = await runCli(['export', streamArn, '--from', 'trim-horizon', '--until', until], { env: env(f) });
    expect(alone.code, alone.stderr).toBe(0);
    const expected = parseNdjson<Line>(alone.stdout).map((l) => l.sequenceNumber).sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length);
    const group = local.tableName('until');
    const workers = ['a', 'b'].map((id) => worker(streamArn, f, group, id, ['--from', 'trim-horizon', '--until', until]));
    const exits = await Promise.all(workers.map((w) => w.exited));
    expect(exits.map((e) => e.code), workers.map((w) => w.stderr()).join('\n')).toEqual([0, 0]);
    expect(workers.flatMap((w) => parseNdjson<Line>(w.stdout())).map((l) => l.sequenceNumber).sort()).toEqual(expected);
  }, 60_000);

  it.skipIf(!hasScript)('shows on a terminal how many leases the worker holds, for export and for replay', async () => {
    const { f, streamArn } = await startStream(4, 50);
    f.faults.setLatency(150, { actions: ['GetRecords'] });
    const handler = fileURLToPath(new URL('../fixtures/handlers/esm.mjs', import.meta.url));
    for (const args of [
      ['export', streamArn, '-o', join(folder.path, 'out.ndjson')],
      ['replay', streamArn, '--handler', handler],
    ]) {
      const group = local.tableName('terminal');
      const run = onTerminal([...args, '--group', group, '--lease-duration', String(LEASE_SECONDS)], env(f));
      try {
        expect(await run.exited, run.screen()).toBe(0);
        expect(run.screen()).toMatch(/ · \d+ leases? held/);
      } finally {
        run.child.kill('SIGKILL');
      }
    }
  }, 60_000);

  it('takes over the shards of a worker killed with -9 within about two lease durations, losing nothing', async () => {
    const { f, streamArn } = await startStream(6, 50, true);
    const group = local.tableName('kill');
    const a = worker(streamArn, f, group, 'a', ['--follow']);
    const b = worker(streamArn, f, group, 'b', ['--follow']);
    await until(async () => {
      const counts = owners(await leasesOf(group));
      return counts.get('a') === 3 && counts.get('b') === 3 ? true : undefined;
    }, 20_000);
    b.child.kill('SIGKILL');
    const killedAt = Date.now();
    await b.exited;
    for (const shard of f.shardsOf(streamArn)) f.appendGenerated(shard.shardId, { count: 10, generate: syntheticRecords({ keySpace: 5 }) });
    await until(async () => (owners(await leasesOf(group)).get('a') === 6 ? true : undefined), 4 * LEASE_SECONDS * 1000);
    const takeover = Date.now() - killedAt;
    // Expired after a lease duration without renewal, taken at the next round: about two durations.
    expect(takeover).toBeLessThan(3 * LEASE_SECONDS * 1000);
    const total = allSequenceNumbers(f, streamArn);
    const seen = (): Set<string> => new Set([a, b].flatMap((w) => w.lines.map((line) => (JSON.parse(line) as Line).sequenceNumber)));
    await until(async () => (seen().size >= total.length ? true : undefined), 30_000);
    a.child.kill('SIGTERM');
    await a.exited;
    expect([...seen()].sort()).toEqual(total);
  }, 90_000);

  it('says in one line when the lease table holds a lease of a shard the stream does not have', async () => {
    const { f, streamArn } = await startStream(2, 5);
    const group = local.tableName('foreign');
    const table = new LeaseTable(local.dynamodb, group);
    await table.ensure();
    await local.dynamodb.send(new PutItemCommand({
      TableName: group,
      Item: { leaseKey: { S: 'shardId-00000000000000000000-feedbeef' }, leaseCounter: { N: '4' }, checkpoint: { S: '4900000000000000000001' } },
    }));
    const result = await runCli(['export', streamArn, '--group', group], { env: env(f), timeoutMs: 30_000 });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^ddbstream: lease table "[^"]+" belongs to a stream other than this one: it holds a lease of shard shardId-00000000000000000000-feedbeef.*Use another --group or --lease-table/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  }, 60_000);

  it('says in one line when the lease table is missing and may not be created', async () => {
    const { f, streamArn } = await startStream(1, 5);
    // Both endpoints on the fake, whose caller may not create tables.
    const result = await runCli(['export', streamArn, '--group', 'nogroup', '--endpoint-url', f.endpoint], { env: cleanEnv(), timeoutMs: 30_000 });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ddbstream: lease table "nogroup" does not exist and could not be created \(AccessDeniedException\)\. Grant dynamodb:CreateTable/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  }, 30_000);

  it('refuses --checkpoint with --group, and group options without --group', async () => {
    const both = await runCli(['export', 'Orders', '--group', 'g1', '--checkpoint', 'x.cp'], { env: cleanEnv() });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--group keeps its checkpoints in the lease table');
    const stray = await runCli(['export', 'Orders', '--worker-id', 'w1'], { env: cleanEnv() });
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('--worker-id applies to a consumer group: add --group NAME');
  });
});
