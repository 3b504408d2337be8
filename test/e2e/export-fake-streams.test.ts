import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeStreams, syntheticRecords, type FakeStreams } from '../fake-streams/index.js';
import { cleanEnv, runCli, type CliResult } from '../helpers/cli.js';
import { hasScript, onTerminal } from '../helpers/terminal.js';
import { parseNdjson, startCli } from './export-helpers.js';

interface Line {
  shardId: string;
  sequenceNumber: string;
  eventName: string;
  time: string;
  keys: { pk: string };
}

interface CheckpointFile {
  streamArn: string;
  shards: Record<string, { sequenceNumber?: string; finished?: boolean }>;
}

let fake: FakeStreams | undefined;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ddbstream-export-fake-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function startFake(): Promise<FakeStreams> {
  fake = await startFakeStreams();
  return fake;
}

function env(f: FakeStreams, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return cleanEnv({ AWS_ENDPOINT_URL: f.endpoint, ...extra });
}

function exportCli(f: FakeStreams, args: string[], extra: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runCli(['export', ...args], { env: env(f, extra), timeoutMs: 30_000 });
}

/** A table "Users" whose stream has no shards yet; the test shapes them. */
function addUsers(f: FakeStreams): string {
  return f.addTable({ tableName: 'Users', stream: { shards: 0 } }).streamArn!;
}

/** Every record of the stream, by shard, as the service holds it. */
function recordsByShard(f: FakeStreams, streamArn: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const shard of f.shardsOf(streamArn)) {
    out.set(shard.shardId, f.recordsOf(shard.shardId).map((r) => (r.dynamodb as { SequenceNumber: string }).SequenceNumber));
  }
  return out;
}

/**
 * The export wrote every record of the stream exactly once, each shard in its order, and no
 * record of a shard before the last record of its parent (so each item's changes keep their order).
 */
function expectExactLineage(f: FakeStreams, streamArn: string, lines: Line[]): void {
  const expected = recordsByShard(f, streamArn);
  const total = [...expected.values()].reduce((n, list) => n + list.length, 0);
  expect(lines).toHaveLength(total);

  const written = new Map<string, string[]>();
  const firstIndex = new Map<string, number>();
  const lastIndex = new Map<string, number>();
  lines.forEach((line, index) => {
    written.set(line.shardId, [...(written.get(line.shardId) ?? []), line.sequenceNumber]);
    if (!firstIndex.has(line.shardId)) firstIndex.set(line.shardId, index);
    lastIndex.set(line.shardId, index);
  });
  for (const [shardId, sequenceNumbers] of expected) expect(written.get(shardId) ?? []).toEqual(sequenceNumbers);

  for (const shard of f.shardsOf(streamArn)) {
    if (!shard.parentShardId || !firstIndex.has(shard.shardId) || !lastIndex.has(shard.parentShardId)) continue;
    expect(lastIndex.get(shard.parentShardId)!).toBeLessThan(firstIndex.get(shard.shardId)!);
  }
}

/** Per item: no change written after a change from a later generation of shards of that item. */
function expectParentBeforeChildPerKey(f: FakeStreams, streamArn: string, lines: Line[]): void {
  const parentOf = new Map(f.shardsOf(streamArn).map((s) => [s.shardId, s.parentShardId]));
  const isAncestor = (ancestor: string, shardId: string): boolean => {
    for (let p = parentOf.get(shardId); p; p = parentOf.get(p)) if (p === ancestor) return true;
    return false;
  };
  const seenShards = new Map<string, string[]>();
  for (const line of lines) {
    const seen = seenShards.get(line.keys.pk) ?? [];
    for (const earlier of seen) expect(isAncestor(line.shardId, earlier)).toBe(false);
    if (!seen.includes(line.shardId)) seen.push(line.shardId);
    seenShards.set(line.keys.pk, seen);
  }
}

describe('ddbstream export against the fake endpoint', () => {
  it('reads a multi-level lineage with records in every shard: exactly once, parents before children', async () => {
    const f = await startFake();
    const arn = addUsers(f);
    // 4 levels, 2 children each: 15 shards, 8 of them open leaves; 200 changes of the same 200
    // items in every shard, listed in a shuffled order.
    const lineage = f.addLineage(arn, { depth: 4, fanout: 2, recordsPerShard: 200, generate: syntheticRecords({ keySpace: 200 }) });
    f.shuffleShards(arn);
    expect(lineage.shards).toHaveLength(15);

    const result = await exportCli(f, ['Users', '--concurrency', '4']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = parseNdjson<Line>(result.stdout);
    expectExactLineage(f, arn, lines);
    expectParentBeforeChildPerKey(f, arn, lines);
    expect(f.log.maxConcurrentReaders()).toBe(1);
  });

  it('reads more than 100 shards (DescribeStream paged)', async () => {
    const f = await startFake();
    const arn = addUsers(f);
    f.addRootShards(arn, 130, { lazy: { count: 3 }, closed: true });
    f.addLineage(arn, { depth: 3, recordsPerShard: 5 });

    const result = await exportCli(f, [arn]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = parseNdjson<Line>(result.stdout);
    expect(new Set(lines.map((l) => l.shardId)).size).toBe(133);
    expectExactLineage(f, arn, lines);
    const pages = f.log.entries({ action: 'DescribeStream' }).filter((e) => e.params.ExclusiveStartShardId !== undefined);
    expect(pages.length).toBeGreaterThan(0);
  });

  it('stays exact through throttling bursts, 5xx answers and connection resets in the middle of the export', async () => {
    const f = await startFake();
    const arn = addUsers(f);
    f.addLineage(arn, { depth: 5, fanout: 2, recordsPerShard: 50 }); // 31 shards
    f.faults.setLatency(15);

    const cli = startCli(['export', 'Users', '--concurrency', '3'], env(f));
    await cli.waitForLine(() => true);
    f.faults
      .throttle(4, { actions: ['GetRecords'] })
      .throttle(3, { actions: ['GetShardIterator'], error: 'ThrottlingException' })
      .internalErrors(3, { actions: ['GetRecords'] })
      .resetConnections(4, { actions: ['GetRecords'] })
      .resetConnections(2, { actions: ['GetShardIterator', 'DescribeStream'] });
    const exit = await cli.exited;
    expect(cli.stderr()).toBe('');
    expect(exit.code).toBe(0);
    expect(f.faults.pending()).toBe(0); // every fault was met
    const outcomes = new Set(f.log.entries().map((e) => e.outcome));
    for (const outcome of ['LimitExceededException', 'ThrottlingException', 'InternalServerError', 'reset']) expect(outcomes).toContain(outcome);

    const lines = parseNdjson<Line>(cli.lines.join('\n') + '\n');
    expectExactLineage(f, arn, lines);
  });

  it('the endpoint closing mid-export: exit 1 within the give-up time, one clear line, checkpoint saved', async () => {
    const f = await startFake();
    const arn = addUsers(f);
    const lineage = f.addLineage(arn, { depth: 12, recordsPerShard: 100 }); // a chain: one shard after another
    f.faults.setLatency(100);
    const checkpoint = join(dir, 'closing.cp.json');

    const cli = startCli(['export', 'Users', '--checkpoint', checkpoint], env(f, { DDBSTREAM_RETRY_GIVE_UP_MS: '1500' }));
    await cli.waitForLine((line) => line.includes(lineage.shards[1]!)); // the second shard is under way
    const closedAt = Date.now();
    await f.close();
    const exit = await cli.exited;
    expect(exit.code).toBe(1);
    expect(exit.at - closedAt).toBeLessThan(1_500 + 2_500);
    const message = cli.stderr().trim().split('\n');
    expect(message).toHaveLength(1);
    expect(message[0]).toMatch(/^ddbstream: the endpoint stopped answering and did not come back within 1\.5s\. .*--checkpoint/);

    const lines = cli.lines.map((line) => JSON.parse(line) as Line);
    expect(lines.length).toBeGreaterThanOrEqual(100);
    expect(lines.length).toBeLessThan(1200);
    const saved = JSON.parse(await readFile(checkpoint, 'utf8')) as CheckpointFile;
    expect(saved.streamArn).toBe(arn);
    // The checkpoint is exactly where the output stops: per shard, its last written record.
    const lastWritten = new Map(lines.map((l) => [l.shardId, l.sequenceNumber]));
    for (const [shardId, sequenceNumber] of lastWritten) expect(saved.shards[shardId]?.sequenceNumber).toBe(sequenceNumber);
    expect(Object.keys(saved.shards).sort()).toEqual([...lastWritten.keys()].sort());
    expect(saved.shards[lineage.shards[0]!]?.finished).toBe(true);
  });

  it('after giving up on an endpoint that resets every call, a rerun with the checkpoint writes the rest exactly once', async () => {
    const f = await startFake();
    const arn = addUsers(f);
    f.addLineage(arn, { depth: 3, fanout: 2, recordsPerShard: 300 });
    f.faults.setLatency(20, { actions: ['GetRecords'] });
    const checkpoint = join(dir, 'resets.cp.json');

    const cli = startCli(['export', 'Users', '--checkpoint', checkpoint, '--concurrency', '1'], env(f, { DDBSTREAM_RETRY_GIVE_UP_MS: '800' }));
    await cli.waitForLine(() => true);
    f.faults.resetConnections(1_000_000);
    const exit = await cli.exited;
    expect(exit.code).toBe(1);
    expect(cli.stderr()).toMatch(/the endpoint stopped answering and did not come back within 0\.8s/);
    const first = cli.lines.map((line) => JSON.parse(line) as Line);
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(2100);

    f.faults.clear();
    const rest = await exportCli(f, ['Users', '--checkpoint', checkpoint]);
    expect(rest.stderr).toBe('');
    expect(rest.code).toBe(0);
    expectExactLineage(f, arn, [...first, ...parseNdjson<Line>(rest.stdout)]);
  });

  it('-n with --checkpoint across three runs over a lineage read concurrently: every record exactly once', async () => {
    const f = await startFake();
    const arn = addUsers(f);
    f.addLineage(arn, { depth: 3, fanout: 2, recordsPerShard: 300 }); // 7 shards, 2100 records
    const checkpoint = join(dir, 'thirds.cp.json');
    const runs: Line[][] = [];
    for (const args of [['-n', '700'], ['-n', '700'], []]) {
      const result = await exportCli(f, ['Users', '--checkpoint', checkpoint, '--concurrency', '4', ...args]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      runs.push(parseNdjson<Line>(result.stdout));
    }
    expect(runs.map((r) => r.length)).toEqual([700, 700, 700]);
    const all = runs.flat();
    expectExactLineage(f, arn, all);
    expectParentBeforeChildPerKey(f, arn, all);
  });

  it('ends at once with nothing to write: a stream without shards, a checkpoint with every shard finished', async () => {
    const f = await startFake();
    const arn = addUsers(f);
    const empty = await exportCli(f, ['Users'], {});
    expect(empty).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(empty.durationMs).toBeLessThan(10_000);

    f.addLineage(arn, { depth: 2, recordsPerShard: 10, closeLeaves: true });
    const checkpoint = join(dir, 'finished.cp.json');
    const first = await exportCli(f, ['Users', '--checkpoint', checkpoint]);
    expect(parseNdjson(first.stdout)).toHaveLength(20);
    const again = await exportCli(f, ['Users', '--checkpoint', checkpoint]);
    expect(again).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('TTL deletes carry userIdentity; a KEYS_ONLY stream has keys and no images', async () => {
    const f = await startFake();
    const arn = f.addTable({ tableName: 'Sessions', stream: { viewType: 'KEYS_ONLY' } }).streamArn!;
    const [shard] = f.shardsOf(arn);
    f.appendRecords(shard!.shardId, [
      { newImage: { pk: { S: 's1' }, expiresAt: { N: '1700000000' } } },
      {
        eventName: 'REMOVE',
        oldImage: { pk: { S: 's1' }, expiresAt: { N: '1700000000' } },
        userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' },
      },
    ]);
    const result = await exportCli(f, ['Sessions']);
    expect(result.code).toBe(0);
    const [insert, ttl] = parseNdjson<Record<string, unknown>>(result.stdout);
    expect(insert).toMatchObject({ eventName: 'INSERT', keys: { pk: 's1' } });
    expect(insert).not.toHaveProperty('newImage');
    expect(insert).not.toHaveProperty('userIdentity');
    expect(ttl).toMatchObject({ eventName: 'REMOVE', keys: { pk: 's1' }, userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } });
    expect(ttl).not.toHaveProperty('oldImage');

    const raw = await exportCli(f, ['Sessions', '--raw', '--event', 'REMOVE']);
    const [rawTtl] = parseNdjson<Record<string, unknown>>(raw.stdout);
    expect(rawTtl).toMatchObject({ userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' }, dynamodb: { StreamViewType: 'KEYS_ONLY' } });
  });

  it('--diff is null when the stream does not carry the images a change needs, never an invented diff', async () => {
    const f = await startFake();
    const arn = f.addTable({ tableName: 'Users', stream: { viewType: 'NEW_IMAGE' } }).streamArn!;
    const [shard] = f.shardsOf(arn);
    f.appendRecords(shard!.shardId, [
      { newImage: { pk: { S: 'u1' }, email: { S: 'a@example.com' } } },
      { eventName: 'MODIFY', oldImage: { pk: { S: 'u1' }, email: { S: 'a@example.com' } }, newImage: { pk: { S: 'u1' }, email: { S: 'b@example.com' } } },
      { oldImage: { pk: { S: 'u1' }, email: { S: 'b@example.com' } } },
    ]);
    const result = await exportCli(f, ['Users', '--diff']);
    expect(result.code).toBe(0);
    const [insert, modify, remove] = parseNdjson<Record<string, unknown>>(result.stdout);
    expect(insert!.diff).toEqual([
      { path: 'email', op: 'add', to: 'a@example.com' },
      { path: 'pk', op: 'add', to: 'u1' },
    ]);
    // A NEW_IMAGE stream has no old image: the MODIFY's changes are unknown, the REMOVE's too.
    expect(modify).toMatchObject({ eventName: 'MODIFY', newImage: { email: 'b@example.com' }, diff: null });
    expect(remove).toMatchObject({ eventName: 'REMOVE', diff: null });
  });

  it('--follow reads on into a child shard after a split, and stops at an --until time with exit 0', async () => {
    const f = await startFake();
    const arn = f.addTable({ tableName: 'Users', stream: {} }).streamArn!;
    f.write(arn, { newImage: { pk: { S: 'before' } } });
    const until = new Date(Date.now() + 4_000);
    const cli = startCli(['export', 'Users', '--follow', '--until', until.toISOString(), '--poll-interval', '100'], env(f));
    await cli.waitForLine((line) => line.includes('"before"'));
    const [parent] = f.shardsOf(arn);
    const [child] = f.split(parent!.shardId, 1);
    f.appendRecords(child!, [{ newImage: { pk: { S: 'in-child' } } }]);
    await cli.waitForLine((line) => line.includes('"in-child"'));
    // Past --until: not written, and the run ends by itself soon after that time.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, until.getTime() - Date.now() + 1_100)));
    f.appendRecords(child!, [{ newImage: { pk: { S: 'too-late' } } }]);
    const exit = await cli.exited;
    expect(exit.code).toBe(0);
    expect(exit.at - until.getTime()).toBeLessThan(4_000);
    expect(cli.stderr()).toBe('');
    expect(cli.lines.map((line) => (JSON.parse(line) as Line).keys.pk)).toEqual(['before', 'in-child']);
  });

  it('--follow stopped by SIGTERM: exit 143 within 2 s, checkpoint saved', async () => {
    const f = await startFake();
    const arn = f.addTable({ tableName: 'Users', stream: {} }).streamArn!;
    const { shardId, sequenceNumber } = f.write(arn, { newImage: { pk: { S: 'only' } } });
    const checkpoint = join(dir, 'sigterm.cp.json');
    const cli = startCli(['export', 'Users', '--follow', '--checkpoint', checkpoint], env(f));
    await cli.waitForLine((line) => line.includes('"only"'));
    const sent = Date.now();
    cli.child.kill('SIGTERM');
    const exit = await cli.exited;
    expect(exit.code).toBe(143);
    expect(exit.at - sent).toBeLessThan(2_000);
    expect(cli.stderr()).toBe('');
    const saved = JSON.parse(await readFile(checkpoint, 'utf8')) as CheckpointFile;
    expect(saved.shards[shardId]?.sequenceNumber).toBe(sequenceNumber);
  });

  it('emulates time positions by the time each record carries, across a split', async () => {
    const f = await startFake();
    const arn = addUsers(f);
    const now = Date.now();
    const at = (ms: number) => ({ newImage: { pk: { S: `at-${ms}` } }, time: now - ms });
    const parent = f.addShard(arn, { records: [at(3 * 3_600_000), at(90 * 60_000)] });
    const [child] = f.split(parent, 1);
    f.appendRecords(child!, [at(20 * 60_000), at(5_000)]);

    const keys = async (...args: string[]): Promise<string[]> => {
      const result = await exportCli(f, ['Users', ...args]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      return parseNdjson<Line>(result.stdout).map((l) => l.keys.pk.replace('at-', ''));
    };
    const [h3, m90, m20, s5] = ['10800000', '5400000', '1200000', '5000'];
    expect(await keys()).toEqual([h3, m90, m20, s5]);
    expect(await keys('--from', '2h')).toEqual([m90, m20, s5]);
    expect(await keys('--until', '1h')).toEqual([h3, m90]);
    expect(await keys('--from', '2h', '--until', '10m')).toEqual([m90, m20]);
    // An ISO time is compared at the second the record carries: the record of that second is in.
    const m90Time = new Date(Math.floor((now - 90 * 60_000) / 1000) * 1000 + 400).toISOString();
    expect(await keys('--from', m90Time)).toEqual([m90, m20, s5]);
    expect(await keys('--until', m90Time)).toEqual([h3, m90]);
  });

  it('-o into a folder that does not exist fails before any network call', async () => {
    const result = await runCli(['export', 'Users', '-o', join(dir, 'missing', 'out.ndjson'), '--endpoint-url', 'http://127.0.0.1:1'], {
      env: cleanEnv(),
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`the folder ${join(dir, 'missing')} does not exist`);
  });

  it('a give-up time that is not a number of milliseconds is a usage error', async () => {
    const result = await runCli(['export', 'Users', '--endpoint-url', 'http://127.0.0.1:1'], {
      env: cleanEnv({ DDBSTREAM_RETRY_GIVE_UP_MS: '5s' }),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('ddbstream: DDBSTREAM_RETRY_GIVE_UP_MS "5s" is not a positive whole number of milliseconds (e.g. 60000)\n');
  });

  describe('progress', () => {
    /** The export under a pseudo-terminal (stderr a TTY), lines into a file; what the terminal showed. */
    const exportOnTerminal = async (f: FakeStreams, args: string[]): Promise<{ code: number | null; screen: string }> => {
      const run = onTerminal(['export', ...args], env(f), 200);
      const code = await run.exited;
      return { code, screen: run.screen() };
    };

    it.skipIf(!hasScript)('shows records, shards and rate on a terminal, and a summary; --quiet shows nothing', async () => {
      const f = await startFake();
      const arn = addUsers(f);
      f.addLineage(arn, { depth: 3, fanout: 2, recordsPerShard: 400, closeLeaves: true });
      const file = join(dir, 'progress.ndjson');

      const shown = await exportOnTerminal(f, ['Users', '-o', file]);
      expect(shown.code).toBe(0);
      expect(shown.screen).toMatch(/exported [\d,]+ records · shards \d+\/7 done · [\d,]+ rec\/s/);
      expect(shown.screen).toContain(`ddbstream: exported 2,800 records to ${file}`);
      expect(parseNdjson(await readFile(file, 'utf8'))).toHaveLength(2800);

      // Lines going to the terminal too: a status line would land in the middle of them.
      const lines = await exportOnTerminal(f, ['Users']);
      expect(lines.code).toBe(0);
      expect(lines.screen).not.toMatch(/rec\/s/);
      const shownLines = lines.screen.split(/\r?\n/).filter((line) => line.startsWith('{'));
      expect(shownLines).toHaveLength(2800);
      for (const line of shownLines) expect(() => JSON.parse(line) as unknown).not.toThrow();

      const quiet = await exportOnTerminal(f, ['Users', '-o', file, '--quiet']);
      expect(quiet.code).toBe(0);
      expect(quiet.screen.trim()).toBe('');
      expect(existsSync(file)).toBe(true);
    });
  });
});
