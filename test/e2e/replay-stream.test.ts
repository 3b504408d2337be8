import { readFileSync, statSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { BIN, cleanEnv, runCli } from '../helpers/cli.js';
import { startFakeStreams, type FakeStreams, type RecordInput } from '../fake-streams/index.js';
import type { FailureLine } from '../../src/replay/failure-record.js';
import type { LambdaStreamRecord } from '../../src/records/lambda-record.js';
import { tempDir } from '../helpers/temp-dir.js';
import { completeLines } from '../helpers/ndjson-file.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/handlers/', import.meta.url));

let fake: FakeStreams;
beforeEach(async () => {
  fake = await startFakeStreams();
});
afterEach(async () => {
  await fake.close();
});

interface Call {
  sequenceNumbers: string[];
  event: { Records: LambdaStreamRecord[] };
}

const calls = (file: string): Call[] => completeLines<Call>(file);

const item = (pk: string, flag = 'ok', time = Date.UTC(2024, 4, 1, 10, 0, 0)): RecordInput => ({
  eventName: 'INSERT',
  newImage: { pk: { S: pk }, flag: { S: flag }, blob: { B: Buffer.from(`bytes of ${pk}`) } },
  time,
});

/** A table whose stream has a closed parent shard split into two children, all with records. */
function splitStream(flags: Record<string, string> = {}) {
  const { streamArn } = fake.addTable({ tableName: 'Orders', stream: { viewType: 'NEW_AND_OLD_IMAGES', shards: 0 } });
  const parent = fake.addShard(streamArn!, { records: ['p1', 'p2', 'p3'].map((pk) => item(pk, flags[pk])) });
  const [left, right] = fake.split(parent, 2);
  fake.appendRecords(left!, ['l1', 'l2'].map((pk) => item(pk, flags[pk])));
  fake.appendRecords(right!, ['r1'].map((pk) => item(pk, flags[pk])));
  fake.closeShard(left!);
  fake.closeShard(right!);
  return { streamArn: streamArn!, parent, left: left!, right: right! };
}

function run(args: string[], log: string, extraEnv: NodeJS.ProcessEnv = {}) {
  return runCli(['replay', ...args, '--endpoint-url', fake.endpoint], {
    env: cleanEnv({ HANDLER_LOG: log, ...extraEnv }),
    timeoutMs: 30_000,
  });
}

const keysOf = (call: Call): string[] => call.event.Records.map((r) => (r.dynamodb.Keys.pk as { S: string }).S);

describe('replay <stream>', () => {
  it('delivers every shard in order, parents before children, as Lambda builds the event; checkpoints and resumes', async () => {
    const { streamArn, parent, left, right } = splitStream();
    const dir = tempDir();
    const log = path.join(dir, 'calls.ndjson');
    const checkpoint = path.join(dir, 'orders.checkpoint');
    const result = await run(['Orders', '--handler', path.join(FIXTURES, 'esm.mjs'), '--checkpoint', checkpoint], log);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^replay: 6 records: 6 handled · 3 invocations/m);

    const seen = calls(log);
    const byShard = new Map(seen.map((call) => [call.event.Records[0]!.eventID, keysOf(call)]));
    expect([...byShard.values()].sort()).toEqual([['l1', 'l2'], ['p1', 'p2', 'p3'], ['r1']]);
    // The parent's batch came before its children's.
    expect(keysOf(seen[0]!)).toEqual(['p1', 'p2', 'p3']);
    const first = seen[0]!.event.Records[0]!;
    expect(first).toMatchObject({
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      eventSourceARN: streamArn,
      awsRegion: 'us-east-1',
      dynamodb: {
        ApproximateCreationDateTime: Date.UTC(2024, 4, 1, 10, 0, 0) / 1000,
        Keys: { pk: { S: 'p1' } },
        NewImage: { pk: { S: 'p1' }, flag: { S: 'ok' }, blob: { B: Buffer.from('bytes of p1').toString('base64') } },
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });

    expect(statSync(checkpoint).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(checkpoint, 'utf8')) as { shards: Record<string, { finished?: boolean }> };
    expect(Object.keys(saved.shards).sort()).toEqual([parent, left, right].sort());
    expect(Object.values(saved.shards).every((shard) => shard.finished)).toBe(true);

    // A rerun with the same checkpoint has nothing left to deliver.
    const again = await run(['Orders', '--handler', path.join(FIXTURES, 'esm.mjs'), '--checkpoint', checkpoint], log);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/^replay: 0 records: 0 handled · 0 invocations/m);
    expect(calls(log)).toHaveLength(3);
  });

  it('a stopped run resumes after the last handled batch: every record once, none skipped', async () => {
    splitStream();
    const dir = tempDir();
    const log = path.join(dir, 'calls.ndjson');
    const checkpoint = path.join(dir, 'orders.checkpoint');
    const handler = path.join(FIXTURES, 'esm.mjs');
    const first = await run(['Orders', '--handler', handler, '--checkpoint', checkpoint, '--batch-size', '1', '-n', '2'], log);
    expect(first.code).toBe(0);
    expect(calls(log).flatMap(keysOf)).toEqual(['p1', 'p2']);
    const rest = await run(['Orders', '--handler', handler, '--checkpoint', checkpoint, '--batch-size', '1'], log);
    expect(rest.code).toBe(0);
    expect(calls(log).flatMap(keysOf).sort()).toEqual(['l1', 'l2', 'p1', 'p2', 'p3', 'r1']);
  });

  it('a poison record goes to the failure file with its shard; the checkpoint moves past it, as Lambda does', async () => {
    const { left } = splitStream({ l2: 'poison' });
    const dir = tempDir();
    const log = path.join(dir, 'calls.ndjson');
    const failures = path.join(dir, 'failures.ndjson');
    const checkpoint = path.join(dir, 'orders.checkpoint');
    const result = await run([
      'Orders', '--handler', path.join(FIXTURES, 'poison.mjs'), '--bisect-on-error', '--max-retries', '0',
      '--on-failure', failures, '--checkpoint', checkpoint,
    ], log);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^replay: 6 records: 5 handled, 1 failed/m);
    const [line, ...more] = readFileSync(failures, 'utf8').trim().split('\n').map((text) => JSON.parse(text) as FailureLine);
    expect(more).toEqual([]);
    expect(line!.DDBStreamBatchInfo.shardId).toBe(left);
    expect(line!.records.map((r) => (r.dynamodb.Keys.pk as { S: string }).S)).toEqual(['l2']);
    const saved = JSON.parse(readFileSync(checkpoint, 'utf8')) as { shards: Record<string, { finished?: boolean }> };
    expect(saved.shards[left]).toMatchObject({ finished: true });
  });

  it('skips records that match no --filter and counts them', async () => {
    splitStream({ p2: 'keep', r1: 'keep' });
    const dir = tempDir();
    const log = path.join(dir, 'calls.ndjson');
    const result = await run(['Orders', '--handler', path.join(FIXTURES, 'esm.mjs'),
      '--filter', '{"dynamodb":{"NewImage":{"flag":{"S":["keep"]}}}}'], log);
    expect(result.code).toBe(0);
    expect(calls(log).flatMap(keysOf).sort()).toEqual(['p2', 'r1']);
    expect(result.stderr).toMatch(/^replay: 6 records: 2 handled, 4 filtered/m);
  });

  it('--follow keeps going live; SIGINT stops within 2 s with exit 130 and the checkpoint saved', async () => {
    const { streamArn } = fake.addTable({ tableName: 'Live', stream: { viewType: 'NEW_AND_OLD_IMAGES', shards: 0 } });
    const shard = fake.addShard(streamArn!, { records: [item('a1'), item('a2')] });
    const dir = tempDir();
    const log = path.join(dir, 'calls.ndjson');
    const checkpoint = path.join(dir, 'live.checkpoint');
    const child = spawn(process.execPath, [BIN, 'replay', 'Live', '--follow', '--handler', path.join(FIXTURES, 'esm.mjs'),
      '--checkpoint', checkpoint, '--endpoint-url', fake.endpoint], { env: cleanEnv({ HANDLER_LOG: log }), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const waitFor = async (condition: () => boolean) => {
      for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 50));
      expect(condition()).toBe(true);
    };
    await waitFor(() => calls(log).flatMap(keysOf).length === 2);
    fake.appendRecords(shard, [item('a3')]);
    await waitFor(() => calls(log).flatMap(keysOf).includes('a3'));
    // The batch is handled: its checkpoint is saved (atomically) right after.
    await waitFor(() => existsSync(checkpoint) && readFileSync(checkpoint, 'utf8').includes(shard));
    const stopped = Date.now();
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(Date.now() - stopped).toBeLessThan(2000);
    const saved = JSON.parse(readFileSync(checkpoint, 'utf8')) as { shards: Record<string, { sequenceNumber?: string }> };
    const last = calls(log).at(-1)!.event.Records.at(-1)!.dynamodb.SequenceNumber;
    expect(saved.shards[shard]!.sequenceNumber).toBe(last);
    expect(stderr).toMatch(/^replay: 3 records: 3 handled/m);
  });

  it('kill -9 mid-batch: the handler process goes too; a rerun delivers the batch in flight again and skips none', async () => {
    const { streamArn } = fake.addTable({ tableName: 'Jobs', stream: { viewType: 'NEW_AND_OLD_IMAGES', shards: 0 } });
    fake.addShard(streamArn!, { records: [item('j1'), item('j2'), item('j3', 'hang'), item('j4'), item('j5')], closed: true });
    const dir = tempDir();
    const log = path.join(dir, 'calls.ndjson');
    const checkpoint = path.join(dir, 'jobs.checkpoint');
    const args = [BIN, 'replay', 'Jobs', '--handler', path.join(FIXTURES, 'hang-unless-fixed.mjs'), '--batch-size', '1',
      '--checkpoint', checkpoint, '--endpoint-url', fake.endpoint];
    const child = spawn(process.execPath, args, { env: cleanEnv({ HANDLER_LOG: log }), stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const seen = () => calls(log).flatMap(keysOf);
    for (let i = 0; i < 200 && !seen().includes('j3'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(seen()).toEqual(['j1', 'j2', 'j3']);
    const workerPid = (calls(log).at(-1) as unknown as { pid: number }).pid;
    child.kill('SIGKILL');
    await exited;
    const alive = () => {
      try {
        process.kill(workerPid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 40 && alive(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(alive()).toBe(false);

    const rerun = await run(['Jobs', '--handler', path.join(FIXTURES, 'hang-unless-fixed.mjs'), '--batch-size', '1', '--checkpoint', checkpoint], log, { FIXED: '1' });
    expect(rerun.code).toBe(0);
    expect(seen()).toEqual(['j1', 'j2', 'j3', 'j3', 'j4', 'j5']);
  });

  it('--watch reloads the handler when it changes, and keeps the running version when the new one does not load', async () => {
    const { streamArn } = fake.addTable({ tableName: 'Dev', stream: { viewType: 'NEW_AND_OLD_IMAGES', shards: 0 } });
    const shard = fake.addShard(streamArn!, { records: [item('d1')] });
    const dir = tempDir();
    const handler = path.join(dir, 'handler.mjs');
    const version = (v: string) => `export const handler = async (e) => { console.log('${v} got ' + e.Records.length); };\n`;
    writeFileSync(handler, version('v1'));
    const child = spawn(process.execPath, [BIN, 'replay', 'Dev', '--follow', '--watch', '--handler', handler,
      '--endpoint-url', fake.endpoint], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const waitFor = async (pattern: RegExp) => {
      for (let i = 0; i < 200 && !pattern.test(stderr); i++) await new Promise((r) => setTimeout(r, 50));
      expect(stderr).toMatch(pattern);
    };
    try {
      await waitFor(/\[handler\] v1 got 1/);
      writeFileSync(handler, version('v2'));
      await waitFor(/replay: .*handler\.mjs changed: reloaded; the next batch runs the new code/);
      fake.appendRecords(shard, [item('d2')]);
      await waitFor(/\[handler\] v2 got 1/);
      writeFileSync(handler, 'export const handler = async (e) => {\n  return {;\n};\n');
      await waitFor(/replay: .*handler\.mjs changed but has a syntax error: .*; still running the previous version/);
      fake.appendRecords(shard, [item('d3')]);
      await waitFor(/\[handler\] v2 got 1\n(.|\n)*\[handler\] v2 got 1/);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(130);
  });

  it('loads the handler before touching the stream: a broken handler is exit 2 even when the endpoint is unreachable', async () => {
    const result = await runCli(['replay', 'Orders', '--handler', path.join(FIXTURES, 'not-function.mjs'), '--endpoint-url', 'http://127.0.0.1:9'], {
      env: cleanEnv(),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/export "handler" is a string, not a function/);
  });
});
