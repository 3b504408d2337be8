import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { sdkClients } from './sdk-clients.js';

let dir: string;
let bundle: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fake-streams-'));
  bundle = join(dir, 'fake-streams.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./cli.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: bundle,
    logLevel: 'silent',
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  info: { endpoint: string; tableName: string; streamArn: string; shards: number; records: number };
}

async function startProcess(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [bundle, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`fake exited early with code ${code}`)));
  });
  return { child, info: JSON.parse(first) as Started['info'] };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

describe('standalone fake process', () => {
  it('serves a generated scenario to a client in another process and stops on SIGTERM', async () => {
    const { child, info } = await startProcess(['--scenario', 'lazy', '--records', '2500', '--shards', '2']);
    const clients = sdkClients(info.endpoint);
    try {
      expect(info).toMatchObject({ tableName: 'Bench', shards: 2, records: 5000 });
      const { StreamDescription } = await clients.streams.send(new DescribeStreamCommand({ StreamArn: info.streamArn }));
      expect(StreamDescription?.Shards).toHaveLength(2);
      const shardId = StreamDescription!.Shards![0]!.ShardId;
      let it = (await clients.streams.send(new GetShardIteratorCommand({ StreamArn: info.streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      let count = 0;
      while (it) {
        const page = await clients.streams.send(new GetRecordsCommand({ ShardIterator: it }));
        count += page.Records?.length ?? 0;
        it = page.NextShardIterator;
      }
      expect(count).toBe(2500);
    } finally {
      clients.destroy();
      child.kill('SIGTERM');
    }
    expect(await exited(child)).toBe(0);
  });

  it('exits when its stdin closes with --watch-stdin, and refuses unknown scenarios', async () => {
    const { child } = await startProcess(['--scenario', 'wide', '--shards', '3', '--watch-stdin']);
    child.stdin!.end();
    expect(await exited(child)).toBe(0);

    const bad = spawn(process.execPath, [bundle, '--scenario', 'nope'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    bad.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exited(bad)).toBe(2);
    expect(stderr).toContain('unknown scenario "nope"');
  });
});
