import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchWriteItemCommand, CreateTableCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { BIN, runCli } from '../helpers/cli.js';
import { useDynamoDbLocal } from '../helpers/dynamodb-local.js';
import { tempDir } from '../helpers/temp-dir.js';
import type { Lease } from '../../src/lease/lease.js';
import { parseNdjson, startCli, type RunningCli } from './export-helpers.js';
import { leasesOf as leasesIn, until } from './group-helpers.js';
import { completeLinesOf } from '../helpers/ndjson-file.js';

const local = useDynamoDbLocal();
const HANDLER = fileURLToPath(new URL('../fixtures/handlers/esm.mjs', import.meta.url));

/** Short, so that a takeover is quick; long enough that a busy machine's pauses do not lapse a live worker's leases. */
const LEASE_SECONDS = 3;
/** Lines of about 2 KB: a few dozen fill the pipe of a worker whose output is not read. */
const PAD = 'x'.repeat(2000);

interface Line {
  eventId: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  scan?: boolean;
  keys: { pk: string };
  newImage?: { n?: number | string };
}

const stopped: { kill: (signal: NodeJS.Signals) => void }[] = [];
afterEach(() => {
  for (const child of stopped.splice(0)) child.kill('SIGKILL');
});

async function fill(table: string, count: number): Promise<void> {
  for (let start = 0; start < count; start += 25) {
    const items = Array.from({ length: Math.min(25, count - start) }, (_, i) => ({
      PutRequest: { Item: { pk: { S: `item-${start + i}` }, n: { N: '0' }, pad: { S: PAD } } },
    }));
    await local.dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [table]: items } }));
  }
}

/** Changes made once the scan has begun: each must reach the group as a stream record. */
async function change(table: string, keys: number[]): Promise<void> {
  for (const i of keys) {
    await local.dynamodb.send(new UpdateItemCommand({
      TableName: table, Key: { pk: { S: `item-${i}` } }, UpdateExpression: 'SET #n = :n',
      ExpressionAttributeNames: { '#n': 'n' }, ExpressionAttributeValues: { ':n': { N: String(1000 + i) } },
    }));
  }
}

function args(table: string, group: string, id: string, extra: string[] = []): string[] {
  return ['export', table, '--scan', '--group', group, '--scan-segments', '4', '--worker-id', id, '--lease-duration', String(LEASE_SECONDS), ...extra];
}

/** Small Scan pages: many per segment, so segments are checkpointed and handed over part-way. */
const env = (): NodeJS.ProcessEnv => local.cliEnv({ DDBSTREAM_SCAN_PAGE_SIZE: '10' });

function worker(table: string, group: string, id: string): RunningCli {
  const cli = startCli(args(table, group, id), env());
  stopped.push(cli.child);
  return cli;
}

/**
 * A worker whose output nobody reads yet: once the pipe is full it stalls in the middle of its
 * scan, holding its segments. `read()` starts taking its output (it goes on), and resolves with
 * all of it once the process is gone.
 */
function stalledWorker(table: string, group: string, id: string) {
  const child = spawn(process.execPath, [BIN, ...args(table, group, id)], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  stopped.push(child);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    stderr: () => stderr,
    read(): Promise<string> {
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      return new Promise((resolve) => child.stdout.once('close', () => resolve(stdout)));
    },
  };
}


const leasesOf = (table: string): Promise<Lease[]> => leasesIn(local.dynamodb, table);

const segments = (leases: Lease[]): Lease[] => leases.filter((l) => l.leaseKey.startsWith('scan-segment-'));
const itemsOf = (lease: Lease): number => (lease.checkpoint.startsWith('{') ? (JSON.parse(lease.checkpoint) as { items: number }).items : 0);

describe('export --scan --group on DynamoDB Local', () => {
  it('shares the segments between two workers, then the stream: every item once as a scanned INSERT, and every change since the scan began', async () => {
    const { tableName: table } = await local.createTableWithStream(local.tableName('shared'));
    await fill(table, 300);
    const group = local.tableName('g');
    const a = stalledWorker(table, group, 'a');
    // The scan has begun: changes from now on come from the stream.
    await until(async () => (segments(await leasesOf(group)).some((l) => l.leaseOwner === 'a') ? true : undefined), 20_000);
    await change(table, [3, 150, 299]);
    await local.dynamodb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'new-item' }, n: { N: '7' }, pad: { S: PAD } } }));
    // A second worker asks the stalled one for half of its segments.
    const b = worker(table, group, 'b');
    await until(async () => (segments(await leasesOf(group)).some((l) => l.handoffTo === 'b') ? true : undefined), 20_000);
    // The first worker's next round sees the request; then its output flows again.
    await new Promise((resolve) => setTimeout(resolve, 2 * LEASE_SECONDS * 1000 / 3 + 500));
    const aOut = a.read();
    const [aCode, bExit] = await Promise.all([a.exited, b.exited]);
    expect([aCode, bExit.code], a.stderr() + b.stderr()).toEqual([0, 0]);
    const byWorker = [parseNdjson<Line>(await aOut), parseNdjson<Line>(b.stdout())];
    const lines = byWorker.flat();
    const scanned = lines.filter((l) => l.scan);
    expect(scanned.every((l) => l.eventName === 'INSERT')).toBe(true);
    // Exactly once: no worker died, and a segment is handed over once its pages are delivered.
    const keys = scanned.map((l) => l.keys.pk).filter((pk) => pk !== 'new-item');
    expect(keys.sort()).toEqual(Array.from({ length: 300 }, (_, i) => `item-${i}`).sort());
    expect(new Set(scanned.map((l) => l.eventId)).size).toBe(scanned.length);
    // Both scanned; each wrote its scanned items before any change of the stream.
    for (const own of byWorker) {
      expect(own.some((l) => l.scan)).toBe(true);
      const firstStreamed = own.findIndex((l) => !l.scan);
      if (firstStreamed >= 0) expect(own.slice(firstStreamed).filter((l) => l.scan)).toEqual([]);
    }
    const streamed = lines.filter((l) => !l.scan);
    for (const i of [3, 150, 299]) {
      expect(streamed.some((l) => l.eventName === 'MODIFY' && l.keys.pk === `item-${i}` && Number(l.newImage?.n) === 1000 + i)).toBe(true);
    }
    expect(streamed.some((l) => l.eventName === 'INSERT' && l.keys.pk === 'new-item')).toBe(true);

    const leases = await leasesOf(group);
    expect(segments(leases).map((l) => [l.leaseKey, l.checkpoint, l.leaseOwner]).sort()).toEqual(
      [0, 1, 2, 3].map((i) => [`scan-segment-${i}-of-4`, 'SHARD_END', undefined]),
    );
    // `leases` shows the segments as finished leases, the scan item in no row.
    const shown = await runCli(['leases', group], { env: local.cliEnv() });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('scan-segment-3-of-4\t-\t-\t');
    expect(shown.stdout).toMatch(/scan-segment-0-of-4\t-\t-\t\d+\tSHARD_END\tfinished/);
    expect(shown.stdout).not.toContain('scan-started');

    // A worker that joins later scans nothing again.
    const late = await runCli(args(table, group, 'c'), { env: env(), timeoutMs: 40_000 });
    expect(late.code, late.stderr).toBe(0);
    expect(parseNdjson<Line>(late.stdout).filter((l) => l.scan)).toEqual([]);
    // Another segment count than the group's is a usage error.
    const other = await runCli([...args(table, group, 'd'), '--scan-segments', '8'], { env: env() });
    expect(other.code).toBe(2);
    expect(other.stderr).toBe(`ddbstream: lease table "${group}" holds the group's scan in 4 segments, not 8: rerun with --scan-segments 4 (or without it) to join it, or use another --group to scan again.\n`);
  }, 120_000);

  it('a worker killed mid-scan has its segments finished by another, after their last checkpoints, with nothing lost', async () => {
    const { tableName: table } = await local.createTableWithStream(local.tableName('killed'));
    await fill(table, 400);
    const group = local.tableName('g');
    const victim = stalledWorker(table, group, 'victim');
    // Stalled with its output unread, part of its segments delivered and checkpointed.
    await until(async () => (segments(await leasesOf(group)).some((l) => l.leaseOwner === 'victim' && itemsOf(l) > 0) ? true : undefined), 20_000);
    const victimOut = victim.read();
    victim.child.kill('SIGKILL');
    await victim.exited;
    // The lines of a killed worker: its last line may have been cut by the kill.
    const delivered = completeLinesOf<Line>(await victimOut);
    const checkpointed = segments(await leasesOf(group)).reduce((sum, lease) => sum + itemsOf(lease), 0);
    expect(checkpointed).toBeGreaterThan(0);
    expect(checkpointed).toBeLessThan(400);
    // Written after the scan began: the stream must bring them.
    await change(table, [10, 200]);

    const heir = await runCli(args(table, group, 'heir'), { env: env(), timeoutMs: 60_000 });
    expect(heir.code, heir.stderr).toBe(0);
    const heirLines = parseNdjson<Line>(heir.stdout);
    const heirScanned = heirLines.filter((l) => l.scan);
    // Each segment goes on right after its last checkpoint: what it held is not scanned again.
    expect(heirScanned).toHaveLength(400 - checkpointed);
    expect(new Set(heirScanned.map((l) => l.keys.pk)).size).toBe(heirScanned.length);
    const all = new Set([...delivered, ...heirScanned].filter((l) => l.scan).map((l) => l.keys.pk));
    expect(all.size).toBe(400);
    // What the victim delivered but had not checkpointed comes again, under the same event id.
    const victimIds = new Map(delivered.filter((l) => l.scan).map((l) => [l.keys.pk, l.eventId]));
    for (const line of heirScanned) if (victimIds.has(line.keys.pk)) expect(line.eventId).toBe(victimIds.get(line.keys.pk));
    for (const i of [10, 200]) {
      expect(heirLines.some((l) => !l.scan && l.eventName === 'MODIFY' && l.keys.pk === `item-${i}` && Number(l.newImage?.n) === 1000 + i)).toBe(true);
    }
    expect(segments(await leasesOf(group)).every((l) => l.checkpoint === 'SHARD_END')).toBe(true);
  }, 120_000);

  it('shares a table without a stream: its items once, then nothing', async () => {
    const table = local.tableName('nostream');
    await local.dynamodb.send(new CreateTableCommand({
      TableName: table, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST',
    }));
    await fill(table, 80);
    const group = local.tableName('g');
    const results = await Promise.all(['a', 'b'].map((id) => runCli(args(table, group, id), { env: env(), timeoutMs: 40_000 })));
    expect(results.map((r) => r.code), results.map((r) => r.stderr).join('\n')).toEqual([0, 0]);
    const lines = results.flatMap((r) => parseNdjson<Line>(r.stdout));
    expect(lines.every((l) => l.scan)).toBe(true);
    expect(lines.map((l) => l.keys.pk).sort()).toEqual(Array.from({ length: 80 }, (_, i) => `item-${i}`).sort());
  }, 60_000);

  it('refuses a DDBSTREAM_SCAN_PAGE_SIZE that is not a number of items', async () => {
    const result = await runCli(['export', 'Users', '--scan'], { env: local.cliEnv({ DDBSTREAM_SCAN_PAGE_SIZE: 'lots' }) });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('ddbstream: DDBSTREAM_SCAN_PAGE_SIZE "lots" is not a positive whole number of items (e.g. 100)\n');
  });
});

describe('replay --scan --group on DynamoDB Local', () => {
  it('two workers hand every item to their handlers once as a scanned INSERT', async () => {
    const { tableName: table } = await local.createTableWithStream(local.tableName('replay'));
    await fill(table, 120);
    const group = local.tableName('g');
    const dir = tempDir();
    const logs = ['a', 'b'].map((id) => path.join(dir, `${id}.ndjson`));
    const results = await Promise.all(['a', 'b'].map((id, i) => runCli(
      ['replay', table, '--handler', HANDLER, '--batch-size', '10', '--scan', '--scan-segments', '4', '--group', group, '--worker-id', id, '--lease-duration', '5'],
      { env: local.cliEnv({ HANDLER_LOG: logs[i], DDBSTREAM_SCAN_PAGE_SIZE: '10' }), timeoutMs: 60_000 },
    )));
    expect(results.map((r) => r.code), results.map((r) => r.stderr).join('\n')).toEqual([0, 0]);
    const records = logs.flatMap((file) => {
      const text = (() => {
        try {
          return readFileSync(file, 'utf8');
        } catch {
          return '';
        }
      })();
      return text.trim().split('\n').filter(Boolean).flatMap((line) => (JSON.parse(line) as { event: { Records: { eventID: string; eventName: string; dynamodb: { Keys: { pk: { S: string } } } }[] } }).event.Records);
    });
    const scanned = records.filter((r) => r.eventID.startsWith('scan-'));
    expect(scanned.every((r) => r.eventName === 'INSERT')).toBe(true);
    expect(scanned.map((r) => r.dynamodb.Keys.pk.S).sort()).toEqual(Array.from({ length: 120 }, (_, i) => `item-${i}`).sort());
  }, 90_000);
});
