import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { startFakeStreams, type FakeStreams } from '../fake-streams/index.js';
import { parseNdjson, startCli, type RunningCli } from './export-helpers.js';
import { expectExactExport, readCheckpoint, storedSequenceNumbers, type ExportedLine } from './fake-expectations.js';

/**
 * Service faults seen from the command line: the built CLI against the fake endpoint, which
 * throttles, fails, expires iterators, trims, deletes and goes away on request.
 */

let fake: FakeStreams;
let dir: string;
const running: RunningCli[] = [];

beforeEach(async () => {
  fake = await startFakeStreams();
  dir = await mkdtemp(join(tmpdir(), 'ddbstream-faults-'));
});

afterEach(async () => {
  for (const cli of running.splice(0)) if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => cleanEnv({ AWS_ENDPOINT_URL: fake.endpoint, ...extra });

function start(args: string[], extra: NodeJS.ProcessEnv = {}): RunningCli {
  const cli = startCli(args, env(extra));
  running.push(cli);
  return cli;
}

const parsedLines = (cli: RunningCli): ExportedLine[] => cli.lines.map((line) => JSON.parse(line) as ExportedLine);

async function waitUntil(condition: () => boolean, what: string, cli?: RunningCli, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${cli ? `; stderr: ${cli.stderr()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** One open shard of table T holding `count` generated records. */
function oneShard(count: number, tableName = 'T'): { streamArn: string; shardId: string } {
  const { streamArn } = fake.addTable({ tableName, stream: { shards: 1 } });
  const shardId = fake.shardsOf(streamArn!)[0]!.shardId;
  if (count) fake.appendGenerated(shardId, { count });
  return { streamArn: streamArn!, shardId };
}

describe('service faults, end to end', () => {
  it('iterators expiring under a reader that paused: nothing skipped or repeated', async () => {
    const { shardId } = oneShard(4_000);
    fake.faults.setIteratorLifetime(300);
    // One reader and a small queue: pages of 1000 records fill the pipe, and the reader waits
    // with an iterator in hand while the consumer pauses.
    const cli = start(['export', 'T', '--concurrency', '1', '--poll-interval', '50']);
    await cli.waitForLine(() => true);
    cli.child.stdout.pause();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    cli.child.stdout.resume();
    const exit = await cli.exited;
    expect(cli.stderr()).toBe('');
    expect(exit.code).toBe(0);
    expect(fake.log.count({ action: 'GetRecords', outcome: 'ExpiredIteratorException' })).toBeGreaterThan(0);
    expectExactExport(fake, parsedLines(cli), [shardId]);
  });

  describe('a checkpoint older than the trim horizon', () => {
    it('stops with exit 1 and names --on-trimmed skip; the checkpoint stays as it was', async () => {
      const { shardId } = oneShard(20);
      const checkpoint = join(dir, 'cp.json');
      const first = await runCli(['export', 'T', '-n', '5', '--checkpoint', checkpoint], { env: env() });
      expect(first.code).toBe(0);
      const saved = await readFile(checkpoint, 'utf8');
      fake.trimRecords(shardId, 12);

      const result = await runCli(['export', 'T', '--checkpoint', checkpoint], { env: env() });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain('--on-trimmed skip');
      expect(result.stderr).toContain(shardId);
      expect(await readFile(checkpoint, 'utf8')).toBe(saved);
    });

    it('with --on-trimmed skip: warns with the lost range, exports the rest, moves the checkpoint on', async () => {
      const { shardId } = oneShard(20);
      const all = storedSequenceNumbers(fake, shardId);
      const checkpoint = join(dir, 'cp.json');
      expect((await runCli(['export', 'T', '-n', '5', '--checkpoint', checkpoint], { env: env() })).code).toBe(0);
      fake.trimRecords(shardId, 12);

      const result = await runCli(['export', 'T', '--checkpoint', checkpoint, '--on-trimmed', 'skip'], { env: env() });
      expect(result.code).toBe(0);
      expectExactExport(fake, parseNdjson<ExportedLine>(result.stdout), [shardId], { [shardId]: 12 });
      const warnings = result.stderr.trim().split('\n');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^ddbstream: warning: /);
      expect(warnings[0]).toContain(shardId);
      // What was lost lies between the last record handled and the oldest one still kept.
      expect(warnings[0]).toContain(all[4]);
      expect(warnings[0]).toContain(all[12]);
      expect(warnings[0]).toMatch(/lost/);
      expect((await readCheckpoint(checkpoint)).shards[shardId]?.sequenceNumber).toBe(all[19]);
    });
  });

  it('a --from sequence number older than the trim horizon: exit 1 naming --on-trimmed skip, or with it a warning and the rest', async () => {
    const { shardId } = oneShard(20);
    const all = storedSequenceNumbers(fake, shardId);
    fake.trimRecords(shardId, 12);
    const refused = await runCli(['export', 'T', '--from', all[3]!], { env: env() });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(new RegExp(`^ddbstream: shard ${shardId}: sequence number ${all[3]} is older than the stream keeps .*--on-trimmed skip`));

    const skipped = await runCli(['export', 'T', '--from', all[3]!, '--on-trimmed', 'skip'], { env: env() });
    expect(skipped.code).toBe(0);
    expect(skipped.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^ddbstream: warning: shard ${shardId}: the records from sequence number ${all[3]} were trimmed .*continuing at sequence number ${all[12]}, the oldest record still kept`)),
    ]);
    expectExactExport(fake, parseNdjson<ExportedLine>(skipped.stdout), [shardId], { [shardId]: 12 });
  });

  describe('the stream disabled, or the stream or table deleted, mid-run', () => {
    const follow = ['export', 'T', '--follow'];
    const tail = ['tail', 'T', '--from', 'trim-horizon', '--format', 'ndjson'];
    const gone = /^ddbstream: the stream is gone .*deleted.*ddbstream streams/;
    const disabled = /^ddbstream: the stream is disabled .*every record it holds has been read.*ddbstream streams --table T/;
    const cases = [
      { name: 'stream deleted, export --follow', args: follow, remove: (arn: string) => fake.deleteStream(arn), message: gone },
      { name: 'table deleted, export --follow', args: follow, remove: () => fake.deleteTable('T'), message: gone },
      { name: 'stream disabled, export --follow', args: follow, remove: (arn: string) => fake.disableStream(arn), message: disabled },
      { name: 'stream deleted, tail', args: tail, remove: (arn: string) => fake.deleteStream(arn), message: gone },
      { name: 'table deleted, tail', args: tail, remove: () => fake.deleteTable('T'), message: gone },
      { name: 'stream disabled, tail', args: tail, remove: (arn: string) => fake.disableStream(arn), message: disabled },
    ];
    it.each(cases)('$name: one clear line, exit 1, checkpoint saved', async ({ args, remove, message }) => {
      const { streamArn, shardId } = oneShard(30);
      const all = storedSequenceNumbers(fake, shardId);
      const checkpoint = join(dir, 'cp.json');
      const cli = start([...args, '--checkpoint', checkpoint, '--poll-interval', '50']);
      await cli.waitForLine((line) => line.includes(all[29]!));
      remove(streamArn);
      const exit = await cli.exited;
      expect(exit.code).toBe(1);
      const stderr = cli.stderr().trim().split('\n');
      expect(stderr).toHaveLength(1);
      expect(stderr[0]).toMatch(message);
      expectExactExport(fake, parsedLines(cli), [shardId]);
      expect((await readCheckpoint(checkpoint)).shards[shardId]?.sequenceNumber).toBe(all[29]);
    });
  });

  describe('the endpoint going away mid-run', () => {
    it('tail says it is reconnecting, waits, and picks up where it was when the endpoint is back', async () => {
      const { streamArn, shardId } = oneShard(0);
      const cli = start(['tail', 'T', '--format', 'ndjson', '--from', 'trim-horizon', '--poll-interval', '50']);
      await waitUntil(() => fake.log.count({ action: 'GetRecords' }) > 0, 'the first poll', cli);
      for (let i = 0; i < 3; i++) fake.write(streamArn, { newImage: { pk: { S: `before-${i}` } } });
      await cli.waitForLine((line) => line.includes('before-2'));

      await fake.goOffline();
      await waitUntil(() => /reconnecting/.test(cli.stderr()), 'the reconnecting line', cli);
      // Writes go on while the tool cannot reach the service.
      for (let i = 0; i < 3; i++) fake.write(streamArn, { newImage: { pk: { S: `during-${i}` } } });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(cli.child.exitCode).toBeNull();
      await fake.comeBack();
      await cli.waitForLine((line) => line.includes('during-2'));
      fake.write(streamArn, { newImage: { pk: { S: 'after' } } });
      await cli.waitForLine((line) => line.includes('"after"'));

      cli.child.kill('SIGINT');
      expect((await cli.exited).code).toBe(130);
      expectExactExport(fake, parsedLines(cli), [shardId]);
      const stderr = cli.stderr().trim().split('\n');
      // One line when the outage starts and one when it ends, not one per attempt.
      expect(stderr).toEqual([
        expect.stringMatching(/^ddbstream: unreachable: .*reconnecting with backoff \(Ctrl-C to stop\)$/),
        'ddbstream: reconnected',
      ]);
    });

    it('tail, Ctrl-C while waiting for the endpoint: exit 130 within 2 s, the checkpoint saved', async () => {
      const args = ['tail', 'T', '--format', 'ndjson', '--from', 'trim-horizon'];
      const { shardId } = oneShard(5);
      const all = storedSequenceNumbers(fake, shardId);
      const checkpoint = join(dir, 'cp.json');
      const cli = start([...args, '--checkpoint', checkpoint, '--poll-interval', '50']);
      await cli.waitForLine((line) => line.includes(all[4]!));
      await fake.goOffline();
      // Long enough for a few attempts, and for the backoff to grow past a second.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const sent = Date.now();
      cli.child.kill('SIGINT');
      const exit = await cli.exited;
      expect(exit.code).toBe(130);
      expect(exit.at - sent).toBeLessThan(2_000);
      expect((await readCheckpoint(checkpoint)).shards[shardId]?.sequenceNumber).toBe(all[4]);
    });
  });
});
