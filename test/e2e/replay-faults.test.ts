import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { startFakeStreams, syntheticRecords, type FakeStreams } from '../fake-streams/index.js';
import { readCheckpoint, storedSequenceNumbers } from './fake-expectations.js';
import { completeLines } from '../helpers/ndjson-file.js';

/** Service faults under `replay`: a handler slower than an iterator lives, an endpoint that goes away. */

const SLOW_HANDLER = fileURLToPath(new URL('../fixtures/handlers/slow.mjs', import.meta.url));
const ITERATOR_LIFETIME_MS = 250;

let fake: FakeStreams;
let dir: string;

beforeEach(async () => {
  fake = await startFakeStreams();
  dir = await mkdtemp(join(tmpdir(), 'ddbstream-replay-faults-'));
});

afterEach(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

/** The sequence numbers the handler was given, batch after batch. */
const delivered = (log: string): string[] =>
  completeLines<{ sequenceNumbers: string[] }>(log).flatMap((call) => call.sequenceNumbers);

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('replay and expired iterators', () => {
  it('a handler that pauses longer than an iterator lives: every record delivered once, in order', async () => {
    const { streamArn } = fake.addTable({ tableName: 'T', stream: { shards: 1 } });
    const shardId = fake.shardsOf(streamArn!)[0]!.shardId;
    // More than replay holds ahead of the handler (10 000 records) and the reader's queue, so
    // that the reader has to wait, iterator in hand, while the handler takes its time.
    fake.appendGenerated(shardId, { count: 20_000, generate: syntheticRecords({ payloadBytes: 8 }) });
    fake.closeShard(shardId);
    fake.faults.setIteratorLifetime(ITERATOR_LIFETIME_MS);
    const log = join(dir, 'calls.ndjson');
    const checkpoint = join(dir, 'cp.json');

    const running = runCli(
      ['replay', 'T', '--handler', SLOW_HANDLER, '--batch-size', '1000', '--concurrency', '1', '--checkpoint', checkpoint, '--endpoint-url', fake.endpoint],
      { env: cleanEnv({ HANDLER_LOG: log }), timeoutMs: 30_000 },
    );
    // The reader stops asking for pages once replay holds all it will take ahead: from then on
    // its next iterator ages. Let it age past its lifetime, then let the handler go on.
    const lastRead = (): number => fake.log.entries({ action: 'GetRecords' }).at(-1)?.endedAt ?? Date.now();
    await waitUntil(() => delivered(log).length > 0 && Date.now() - lastRead() > ITERATOR_LIFETIME_MS * 3, 'the reader to wait');
    expect(fake.log.entries({ action: 'GetRecords' }).some((e) => e.shardEnd)).toBe(false);
    await writeFile(`${log}.go`, '');

    const result = await running;
    expect(result.code, result.stderr).toBe(0);
    expect(fake.log.count({ action: 'GetRecords', outcome: 'ExpiredIteratorException' })).toBeGreaterThan(0);
    const all = storedSequenceNumbers(fake, shardId);
    expect(delivered(log)).toEqual(all);
    expect((await readCheckpoint(checkpoint)).shards[shardId]).toMatchObject({ sequenceNumber: all.at(-1), finished: true });
  });
});

describe('replay and an endpoint that goes away', () => {
  it('gives up after the retry time with a clear message and the checkpoint saved; a rerun goes on from there', async () => {
    const { streamArn } = fake.addTable({ tableName: 'T', stream: { shards: 1 } });
    const shardId = fake.shardsOf(streamArn!)[0]!.shardId;
    fake.appendGenerated(shardId, { count: 30 });
    const log = join(dir, 'calls.ndjson');
    await writeFile(`${log}.go`, ''); // no pause
    const checkpoint = join(dir, 'cp.json');
    const args = ['replay', 'T', '--handler', SLOW_HANDLER, '--checkpoint', checkpoint, '--poll-interval', '50', '--endpoint-url', fake.endpoint];
    const env = cleanEnv({ HANDLER_LOG: log, DDBSTREAM_RETRY_GIVE_UP_MS: '1000' });

    const running = runCli([...args, '--follow'], { env, timeoutMs: 30_000 });
    await waitUntil(() => delivered(log).length === 30, 'the first 30 records');
    const wentAway = Date.now();
    await fake.goOffline();
    const result = await running;
    expect(result.code).toBe(1);
    expect(Date.now() - wentAway).toBeLessThan(8_000);
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('ddbstream: '));
    expect(errors).toEqual([expect.stringMatching(/^ddbstream: the endpoint stopped answering and did not come back within 1s\. .*--checkpoint/)]);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const all = storedSequenceNumbers(fake, shardId);
    expect((await readCheckpoint(checkpoint)).shards[shardId]?.sequenceNumber).toBe(all[29]);

    await fake.comeBack();
    fake.appendGenerated(shardId, { count: 5 });
    const rerun = await runCli(args, { env, timeoutMs: 30_000 });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(delivered(log)).toEqual(storedSequenceNumbers(fake, shardId));
  });
});
