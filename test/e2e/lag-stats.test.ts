import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeStreams, type FakeStreams } from '../fake-streams/index.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { hasScript, onTerminal } from '../helpers/terminal.js';

const HANDLER = fileURLToPath(new URL('../fixtures/handlers/esm.mjs', import.meta.url));
const HOUR = 3_600_000;

let fake: FakeStreams | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await fake?.close();
  fake = undefined;
});

interface OldRecords {
  f: FakeStreams;
  arn: string;
  shardIds: string[];
  /** Per shard, the time (ms) of each record. */
  times: number[][];
}

/** Table "Users" with `shards` open shards; shard i holds `perShard` INSERTs, the oldest `ageHours(i)` old, spread up to now. */
async function usersWithOldRecords(shards: number, perShard: number, ageHours: (i: number) => number): Promise<OldRecords> {
  const f = await startFakeStreams();
  fake = f;
  const arn = f.addTable({ tableName: 'Users', stream: { shards: 0 } }).streamArn!;
  const now = Date.now();
  const times: number[][] = [];
  const shardIds = Array.from({ length: shards }, (_, i) => {
    const start = now - ageHours(i) * HOUR;
    const step = (now - start) / perShard;
    times.push(Array.from({ length: perShard }, (_, k) => Math.floor((start + k * step) / 1000) * 1000));
    return f.addRootShards(arn, 1, {
      records: times[i]!.map((time, k) => ({ keys: { pk: { S: `s${i}-${k}` } }, newImage: { pk: { S: `s${i}-${k}` } }, time })),
    })[0]!;
  });
  return { f, arn, shardIds, times };
}

const lastJson = (stderr: string): Record<string, unknown> => JSON.parse(stderr.trim().split('\n').at(-1)!) as Record<string, unknown>;

describe('--stats', () => {
  it('export prints one JSON object on stderr at the end: records per shard and event, the largest lag seen', async () => {
    // More than a page (1000) per shard: after the first page a shard is behind, after the second at its tip.
    const { f, shardIds, times } = await usersWithOldRecords(5, 1200, (i) => 2 + i);
    const started = Date.now();
    const result = await runCli(['export', 'Users', '--stats', '--event', 'INSERT'], { env: cleanEnv({ AWS_ENDPOINT_URL: f.endpoint }) });
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(6000);
    const stats = lastJson(result.stderr);
    expect(stats.records).toBe(6000);
    expect(stats.shards).toEqual(Object.fromEntries(shardIds.map((id) => [id, 1200])));
    expect(stats.events).toEqual({ INSERT: 6000 });
    // The largest lag: the oldest shard after its first page, now minus the time of its 1000th record (1 h 0 m).
    const behindAfterFirstPage = times[4]![999]!;
    const largest = stats.largestLagMs as number;
    expect(largest).toBeGreaterThanOrEqual(started - behindAfterFirstPage);
    expect(largest).toBeLessThanOrEqual(Date.now() - behindAfterFirstPage);
    expect(stats.largestLag).toMatch(/^1h 0m$/);
  });

  it('export without --stats leaves stderr as it was', async () => {
    const { f } = await usersWithOldRecords(1, 3, () => 1);
    const result = await runCli(['export', 'Users'], { env: cleanEnv({ AWS_ENDPOINT_URL: f.endpoint }) });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('replay prints the same object for the records it handed to the handler', async () => {
    const { f, shardIds, times } = await usersWithOldRecords(2, 1010, () => 3);
    const started = Date.now();
    const result = await runCli(['replay', 'Users', '--handler', HANDLER, '--stats'], { env: cleanEnv({ AWS_ENDPOINT_URL: f.endpoint }) });
    expect(result.code).toBe(0);
    const stats = lastJson(result.stderr);
    expect(stats.records).toBe(2020);
    expect(stats.shards).toEqual(Object.fromEntries(shardIds.map((id) => [id, 1010])));
    expect(stats.events).toEqual({ INSERT: 2020 });
    expect(stats.largestLagMs as number).toBeGreaterThanOrEqual(started - times[0]![999]!);
  });
});

/** "behind 20h 14m" → ms */
function parseLag(text: string): number {
  const units: Record<string, number> = { d: 86_400_000, h: HOUR, m: 60_000, s: 1_000 };
  return text.split(' ').reduce((sum, part) => sum + Number(part.slice(0, -1)) * units[part.at(-1)!]!, 0);
}

describe('lag in the interactive tail', () => {
  it.skipIf(!hasScript)('falls as a --from trim-horizon tail of a day of records catches up, then says caught up', async () => {
    // 6 pages of 1000 records over 23 hours; each read takes a while, so the status area shows each step.
    const { f } = await usersWithOldRecords(1, 6000, () => 23);
    f.faults.setLatency(700, { actions: ['GetRecords'] });
    // `script` gives the CLI a pseudo-terminal on stdin and stdout.
    const { child, screen, exited } = onTerminal(['tail', 'Users', '--endpoint-url', f.endpoint, '--from', 'trim-horizon', '--event', 'REMOVE'], cleanEnv(), 120);
    children.push(child);
    const deadline = Date.now() + 30_000;
    while (!screen().includes('caught up') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(screen()).toContain('live · caught up');
    const lags = [...screen().matchAll(/behind ((?:\d+[dhms] ?){1,2})/g)].map((m) => parseLag(m[1]!.trim()));
    expect(new Set(lags).size).toBeGreaterThanOrEqual(3);
    // Falling page by page; between pages it grows with the clock, a second at a time.
    for (let i = 1; i < lags.length; i++) expect(lags[i]!).toBeLessThanOrEqual(lags[i - 1]! + 5_000);
    expect(lags.at(-1)!).toBeLessThan(lags[0]! - 12 * HOUR);
    expect(lags[0]!).toBeGreaterThan(12 * HOUR);
    // "filters" names the filter, "reading" the start position.
    expect(screen()).toContain('filters event=REMOVE');
    expect(screen()).toContain('reading from trim horizon');
    child.stdin!.write('q');
    expect(await exited).toBe(0);
  }, 45_000);
});
