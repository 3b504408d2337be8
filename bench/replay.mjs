// `replay` of a stream into a no-op handler (batch size 100) against `export` of the same
// stream, both against the fake streams endpoint in its own process, interleaved in one run.
// Target: replay takes at most 1.3x the time of export.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { median, report } from './stats.mjs';

const BIN = fileURLToPath(new URL('../bin/ddbstream.js', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const RECORDS = Number(process.env.BENCH_RECORDS ?? 22_000);

async function startFake(dir, args) {
  const bundle = join(dir, 'fake-streams.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('../test/fake-streams/cli.ts', import.meta.url))],
    bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: bundle, logLevel: 'silent',
  });
  const child = spawn(process.execPath, [bundle, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`fake exited with ${code}`)));
  });
  return { child, info: JSON.parse(line) };
}

function time(args, env) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ddbstream ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export async function run() {
  const dir = await mkdtemp(join(tmpdir(), 'ddbstream-bench-replay-'));
  const rows = [];
  try {
    for (const shards of [1, 4]) {
      const { child, info } = await startFake(dir, ['--scenario', 'lazy', '--records', String(RECORDS / shards), '--shards', String(shards)]);
      try {
        const handler = join(dir, 'noop.mjs');
        await writeFile(handler, 'export const handler = async () => {};\n');
        const env = { ...process.env, AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1' };
        const common = [info.streamArn, '--endpoint-url', info.endpoint];
        const cases = {
          export: ['export', ...common],
          replay: ['replay', ...common, '--handler', handler, '--batch-size', '100'],
        };
        for (const args of Object.values(cases)) time(args, env); // warm up
        const samples = { export: [], replay: [] };
        for (let i = 0; i < RUNS; i++) {
          for (const [name, args] of Object.entries(cases)) samples[name].push(time(args, env));
        }
        const exportMs = median(samples.export);
        const replayMs = median(samples.replay);
        rows.push(
          { name: `export, ${RECORDS} records in ${shards} shard${shards > 1 ? 's' : ''}`, ms: exportMs },
          { name: `replay into a no-op handler, batch size 100, ${shards} shard${shards > 1 ? 's' : ''}`, ms: replayMs, ratio: replayMs / exportMs, target: '<= 1.1' },
        );
      } finally {
        child.kill('SIGTERM');
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return report('replay', rows, `median of ${RUNS} interleaved runs`);
}
