// Start-up time of `ddbstream --version` and `--help` against a bare `node -e 0`, interleaved in
// one run so machine noise hits both sides alike. Reports medians and the ratio.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median, report } from './stats.mjs';

const BIN = fileURLToPath(new URL('../bin/ddbstream.js', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

function time(args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export async function run() {
  const cases = { baseline: ['-e', '0'], version: [BIN, '--version'], help: [BIN, '--help'] };
  const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (const args of Object.values(cases)) time(args); // warm the file cache
  for (let i = 0; i < RUNS; i++) {
    for (const [name, args] of Object.entries(cases)) samples[name].push(time(args));
  }
  const base = median(samples.baseline);
  return report('startup', [
    { name: 'node -e 0 (baseline)', ms: base },
    { name: 'ddbstream --version', ms: median(samples.version), ratio: median(samples.version) / base, target: '<= 2.0' },
    { name: 'ddbstream --help', ms: median(samples.help), ratio: median(samples.help) / base, target: '<= 2.0' },
  ], `median of ${RUNS} interleaved runs`);
}
