// `ddbstream export` of 22,000 records (20,000 puts + 2,000 updates, one shard) on DynamoDB
// Local, against the minimal AWS SDK v3 loop (bench/baseline-sdk-export.mjs) in the same run,
// interleaved, and against the AWS CLI + jq loop (bench/baseline-aws-cli.sh) on the first pages
// when `aws` is installed. Every output goes through a pipe into this process, which counts lines.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchItem, batchPut, localEnv, startLocal } from './local-table.mjs';
import { DDBSTREAM, SDK_BASELINE, runMeasured } from './spawn-measured.mjs';
import { median, report } from './stats.mjs';

const PUTS = 20_000;
const UPDATES = 2_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
// The AWS CLI starts a Python process per call (about a second each here): a few pages are
// enough for a per-record comparison.
const CLI_PAGES = Number(process.env.BENCH_CLI_PAGES ?? 3);
const CLI = fileURLToPath(new URL('./baseline-aws-cli.sh', import.meta.url));

export async function run() {
  const local = await startLocal();
  try {
    const loadStarted = Date.now();
    const streamArn = await local.createTable('Bench');
    await batchPut(local.dynamodb, 'Bench', Array.from({ length: PUTS }, (_, i) => benchItem(i, 0)));
    // Every tenth item written again: a MODIFY record with both images.
    await batchPut(local.dynamodb, 'Bench', Array.from({ length: UPDATES }, (_, i) => benchItem(i * 10, 1)));
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    const shards = await local.shardIds(streamArn);
    const expected = PUTS + UPDATES;
    const env = localEnv();

    const ddbstream = (extra = []) =>
      runMeasured(process.execPath, [DDBSTREAM, 'export', 'Bench', '--endpoint-url', local.endpoint, ...extra], { env });
    const sdk = () => runMeasured(process.execPath, [SDK_BASELINE, '--endpoint', local.endpoint, '--stream-arn', streamArn], { env });
    const cpu = { ddbstream: [], sdk: [] };
    const check = (name, result, count) => {
      if (result.lines !== count) throw new Error(`${name} wrote ${result.lines} records, expected ${count}`);
      cpu[name]?.push(result.cpuMs);
      return result.ms;
    };

    // DynamoDB Local's JIT warms up on the first pass: one untimed run of each.
    check('ddbstream warm-up', await ddbstream(), expected);
    check('sdk warm-up', await sdk(), expected);
    const samples = { ddbstream: [], sdk: [] };
    for (let i = 0; i < RUNS; i++) {
      // Alternate who goes first, so a slow spell of the machine does not always hit one side.
      const order = i % 2 ? ['sdk', 'ddbstream'] : ['ddbstream', 'sdk'];
      for (const name of order) {
        samples[name].push(check(name, name === 'sdk' ? await sdk() : await ddbstream(), expected));
      }
    }
    const ddb = median(samples.ddbstream);
    const base = median(samples.sdk);
    const rows = [
      { name: `SDK v3 loop (baseline), ${expected} records`, ms: base },
      { name: `ddbstream export, ${expected} records`, ms: ddb, ratio: ddb / base, target: '<= 0.9' },
      { name: 'ddbstream export, records per second', value: `${Math.round(expected / (ddb / 1000))}/s` },
      { name: 'SDK v3 loop, records per second', value: `${Math.round(expected / (base / 1000))}/s` },
    ];
    if (cpu.ddbstream[0] !== undefined) {
      const [ddbCpu, sdkCpu] = [median(cpu.ddbstream), median(cpu.sdk)];
      rows.push({ name: 'CPU time (user + system): ddbstream vs SDK loop', value: `${ddbCpu.toFixed(0)} ms vs ${sdkCpu.toFixed(0)} ms`, ratio: ddbCpu / sdkCpu, target: '<= 0.6' });
    }

    if (hasAwsCli()) {
      const capped = CLI_PAGES * 1000;
      const cliRun = await runMeasured('bash', [CLI, local.endpoint, streamArn, String(CLI_PAGES)], { env });
      const cliMs = check('aws cli loop', cliRun, capped);
      const ddbCapped = [];
      for (let i = 0; i < 3; i++) ddbCapped.push(check('ddbstream -n', await ddbstream(['-n', String(capped)]), capped));
      const ddbCappedMs = median(ddbCapped);
      rows.push(
        { name: `AWS CLI + jq loop (baseline), first ${capped} records`, ms: cliMs },
        { name: `ddbstream export -n ${capped}`, ms: ddbCappedMs, ratio: ddbCappedMs / cliMs },
        { name: 'AWS CLI + jq loop, per record', value: `${((cliMs / capped) * 1000).toFixed(0)} µs` },
        { name: `ddbstream export, per record (all ${expected})`, value: `${((ddb / expected) * 1000).toFixed(0)} µs` },
      );
    } else {
      rows.push({ name: 'AWS CLI + jq loop', value: 'skipped: `aws` not installed' });
    }
    return report(
      'export-local',
      rows,
      `DynamoDB Local, ${shards.length} shard, ${PUTS} puts + ${UPDATES} updates loaded in ${loadSeconds.toFixed(0)} s, median of ${RUNS} interleaved runs`,
    );
  } finally {
    await local.stop();
  }
}

function hasAwsCli() {
  return spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;
}
