import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeStreams, syntheticRecords, type FakeStreams } from '../fake-streams/index.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { useDynamoDbLocal } from '../helpers/dynamodb-local.js';
import { tempDir } from '../helpers/temp-dir.js';
import { LeaseTable } from '../../src/lease/lease-table.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/handlers/', import.meta.url));
const local = useDynamoDbLocal();
let fake: FakeStreams | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const handled = (file: string): string[] =>
  existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').flatMap((line) => (JSON.parse(line) as { sequenceNumbers: string[] }).sequenceNumbers) : [];

describe('replay --group', () => {
  it('shares a stream between two workers: every record handled, the checkpoints in the lease table', async () => {
    const f = (fake = await startFakeStreams());
    const { streamArn } = f.addTable({ tableName: 'Orders', stream: { shards: 0 } });
    const generate = syntheticRecords({ keySpace: 20 });
    f.addRootShards(streamArn!, 6, { lazy: { count: 40, generate }, closed: true });
    f.addLineage(streamArn!, { depth: 2, fanout: 2, recordsPerShard: 40, generate, closeLeaves: true });
    f.faults.setLatency(10);
    const dir = tempDir();
    const group = local.tableName('replay');
    const logs = ['a', 'b'].map((id) => path.join(dir, `${id}.ndjson`));
    // A lease duration that a busy machine's pauses cannot outlast: this test is about sharing,
    // not takeover (a lapsed lease is read again by its next owner, at least once).
    const results = await Promise.all(['a', 'b'].map((id, i) => runCli(
      ['replay', streamArn!, '--handler', path.join(FIXTURES, 'esm.mjs'), '--batch-size', '25', '--group', group, '--worker-id', id, '--lease-duration', '5'],
      { env: cleanEnv({ HANDLER_LOG: logs[i], AWS_ENDPOINT_URL_DYNAMODB: local.endpoint, AWS_ENDPOINT_URL_DYNAMODB_STREAMS: f.endpoint }), timeoutMs: 60_000 },
    )));
    expect(results.map((r) => r.code), results.map((r) => r.stderr).join('\n')).toEqual([0, 0]);
    const all = f.shardsOf(streamArn!).flatMap((s) => f.recordsOf(s.shardId).map((r) => (r.dynamodb as { SequenceNumber: string }).SequenceNumber));
    // Exactly once: both workers live throughout, and hand-offs wait for the checkpoints.
    expect(logs.flatMap(handled).sort()).toEqual(all.sort());
    const leases = await new LeaseTable(local.dynamodb, group).scan();
    expect(leases.map((l) => l.checkpoint)).toEqual(Array(9).fill('SHARD_END'));
  }, 90_000);

  it('refuses --group with --input', async () => {
    const result = await runCli(['replay', '--input', 'x.ndjson', '--handler', path.join(FIXTURES, 'esm.mjs'), '--group', 'g1'], { env: cleanEnv() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--group applies to a stream, not to --input');
  });
});
