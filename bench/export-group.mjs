// `export --group` on a 64-shard stream at 40 ms a call (the fake endpoint; the lease table in
// DynamoDB Local): one worker of a group against four workers of the same group started together,
// and a plain export (no group) as the baseline for what the lease table costs.
// Wall time runs from the first spawn to the last exit; every run uses a new lease table, so each
// reads the whole stream, and the workers' lines together must be every record exactly once.
// Two streams: many records per shard in full pages, where the work is CPU (parsing and writing
// records) and four processes on 2 cores share it; and short pages (20 records a call, as the
// service answers when a shard's records are spread out) read four shards at a time, where the
// work is waiting for calls and four workers wait side by side.
import { cleanFakeBundles, startFakeProcess } from './fake-streams.mjs';
import { localEnv, startLocal } from './local-table.mjs';
import { DDBSTREAM, runMeasured } from './spawn-measured.mjs';
import { median, report } from './stats.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SHARDS = 64;
const LATENCY_MS = 40;
const LEASE_DURATION = '3';
const CASES = [
  { records: 2000, perPage: 1000, concurrency: 16, kind: 'CPU-bound' },
  { records: 400, perPage: 20, concurrency: 4, kind: 'waiting-bound' },
];

export async function run() {
  const local = await startLocal({ startTimeoutMs: 90_000 });
  let group = 0;
  const rows = [];
  try {
    for (const { records, perPage, concurrency, kind } of CASES) {
      const fake = await startFakeProcess([
        '--scenario', 'wide', '--shards', String(SHARDS), '--records', String(records), '--latency', String(LATENCY_MS),
        '--records-per-page', String(perPage),
      ]);
      const env = { ...localEnv(), AWS_ENDPOINT_URL_DYNAMODB: local.endpoint, AWS_ENDPOINT_URL_DYNAMODB_STREAMS: fake.endpoint };
      const common = ['export', fake.streamArn, '--from', 'trim-horizon', '--concurrency', String(concurrency)];
      const measure = async (workers) => {
        const name = `bench-group-${process.pid}-${++group}`;
        const started = process.hrtime.bigint();
        const results = await Promise.all(Array.from({ length: Math.max(1, workers) }, (_, i) => runMeasured(process.execPath, [
          DDBSTREAM, ...common, ...(workers ? ['--group', name, '--worker-id', `w${i}`, '--lease-duration', LEASE_DURATION] : []),
        ], { env })));
        const lines = results.reduce((n, r) => n + r.lines, 0);
        if (lines !== fake.records) throw new Error(`${workers} workers wrote ${lines} records, the stream has ${fake.records}`);
        return Number(process.hrtime.bigint() - started) / 1e6;
      };
      try {
        const plain = [];
        const one = [];
        const four = [];
        for (let i = 0; i < RUNS; i++) {
          plain.push(await measure(0));
          one.push(await measure(1));
          four.push(await measure(4));
        }
        const label = `${records} records/shard, ${perPage} a call, --concurrency ${concurrency} (${kind})`;
        rows.push({ name: `${label}: no group`, ms: median(plain) });
        rows.push({ name: `${label}: 1 worker`, ms: median(one), ratio: median(one) / median(plain), target: 'lease table cost, vs no group' });
        rows.push({ name: `${label}: 4 workers`, ms: median(four), ratio: median(four) / median(one), target: 'vs 1 worker' });
      } finally {
        await fake.stop();
      }
    }
    return report('export-group', rows, `${SHARDS} shards, ${LATENCY_MS} ms a call, --lease-duration ${LEASE_DURATION}, median of ${RUNS} interleaved runs`);
  } finally {
    await cleanFakeBundles();
    await local.stop();
  }
}
