// `export --group` on a 64-shard stream at 40 ms a call (the fake endpoint; the lease table in
// DynamoDB Local): one worker of a group against four workers of the same group started together.
// Wall time runs from the first spawn to the last exit; every run uses a new lease table, so each
// reads the whole stream, and the workers' lines together must be every record exactly once.
// On a 2-core machine the four workers share the CPU: what they gain is calls waited on side by
// side, shown at the default --concurrency 16 and at --concurrency 2 (a worker that reads few
// shards at once, where waiting dominates).
import { cleanFakeBundles, startFakeProcess } from './fake-streams.mjs';
import { localEnv, startLocal } from './local-table.mjs';
import { DDBSTREAM, runMeasured } from './spawn-measured.mjs';
import { median, report } from './stats.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SHARDS = 64;
const RECORDS_PER_SHARD = 2000;
const LATENCY_MS = 40;
const LEASE_DURATION = '3';

export async function run() {
  const local = await startLocal({ startTimeoutMs: 90_000 });
  const fake = await startFakeProcess([
    '--scenario', 'wide', '--shards', String(SHARDS), '--records', String(RECORDS_PER_SHARD), '--latency', String(LATENCY_MS),
  ]);
  const env = { ...localEnv(), AWS_ENDPOINT_URL_DYNAMODB: local.endpoint, AWS_ENDPOINT_URL_DYNAMODB_STREAMS: fake.endpoint };
  let group = 0;
  const measure = async (workers, concurrency) => {
    const name = `bench-group-${process.pid}-${++group}`;
    const started = process.hrtime.bigint();
    const results = await Promise.all(Array.from({ length: workers }, (_, i) => runMeasured(process.execPath, [
      DDBSTREAM, 'export', fake.streamArn, '--group', name, '--worker-id', `w${i}`, '--lease-duration', LEASE_DURATION,
      '--concurrency', String(concurrency),
    ], { env })));
    const lines = results.reduce((n, r) => n + r.lines, 0);
    if (lines !== fake.records) throw new Error(`${workers} workers wrote ${lines} records, the stream has ${fake.records}`);
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  try {
    const rows = [];
    for (const concurrency of [16, 2]) {
      const one = [];
      const four = [];
      for (let i = 0; i < RUNS; i++) {
        one.push(await measure(1, concurrency));
        four.push(await measure(4, concurrency));
      }
      rows.push({ name: `1 worker, --concurrency ${concurrency}`, ms: median(one) });
      rows.push({ name: `4 workers, --concurrency ${concurrency}`, ms: median(four), ratio: median(four) / median(one), target: '< 1 (four workers wait side by side)' });
    }
    return report('export-group', rows, `${SHARDS} shards × ${RECORDS_PER_SHARD} records, ${LATENCY_MS} ms a call, --lease-duration ${LEASE_DURATION}, median of ${RUNS} interleaved runs`);
  } finally {
    await fake.stop();
    await cleanFakeBundles();
    await local.stop();
  }
}
