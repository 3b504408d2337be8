// `ddbstream export` over a lineage of shards on the fake endpoint with 40 ms per call, against
// the sequential SDK reader (one shard after another, parents first) in the same run, and against
// the critical path: the longest parent→child chain's calls (DescribeStream, then per shard
// GetShardIterator + its GetRecords pages) × the latency. Page counts come from the sequential
// reader's own summary of the actual shard tree.
//
// Two trees: a binary tree of 63 shards (depth 6), where reading siblings at once can win, and a
// chain of 64 rollovers, where nothing can run in parallel and only the per-level overhead shows.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanFakeBundles, startFakeProcess } from './fake-streams.mjs';
import { DDBSTREAM, SDK_BASELINE, runMeasured } from './spawn-measured.mjs';
import { median, report } from './stats.mjs';

const LATENCY_MS = 40;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TREES = [
  { name: 'binary tree, 63 shards', args: ['--depth', '6', '--fanout', '2'], targetSequential: '<= 0.3' },
  { name: 'chain, 64 shards', args: ['--depth', '64', '--fanout', '1'], targetSequential: '~1 (nothing to parallelise)' },
];
const RECORDS_PER_SHARD = 100;

export async function run() {
  const dir = await mkdtemp(join(tmpdir(), 'ddbstream-bench-lineage-'));
  // Process start and SDK load, measured on an empty stream without latency, so the critical
  // path can be compared with the time spent reading.
  const empty = await startFakeProcess(['--scenario', 'lazy', '--records', '0']);
  try {
    const rows = [];
    for (const tree of TREES) rows.push(...(await measureTree(tree, empty, dir)));
    return report(
      'export-lineage',
      rows,
      `fake endpoint, ${LATENCY_MS} ms per call, ${RECORDS_PER_SHARD} records a shard, median of ${RUNS} interleaved runs`,
    );
  } finally {
    await empty.stop();
    await cleanFakeBundles();
    await rm(dir, { recursive: true, force: true });
  }
}

async function measureTree(tree, empty, dir) {
  const fake = await startFakeProcess([
    '--scenario', 'lineage', ...tree.args, '--records', String(RECORDS_PER_SHARD), '--latency', String(LATENCY_MS),
  ]);
  const summaryFile = join(dir, 'summary.json');
  const samples = { ddbstream: [], sequential: [], ddbstreamStart: [], sequentialStart: [], ddbstreamCpu: [], ddbstreamStartCpu: [] };
  try {
    for (let i = 0; i < RUNS; i++) {
      const ddb = await runMeasured(process.execPath, [DDBSTREAM, 'export', fake.streamArn, '--endpoint-url', fake.endpoint]);
      const seq = await runMeasured(process.execPath, [
        SDK_BASELINE, '--endpoint', fake.endpoint, '--stream-arn', fake.streamArn, '--summary', summaryFile,
      ]);
      if (ddb.lines !== fake.records || seq.lines !== fake.records) {
        throw new Error(`record counts differ: stream ${fake.records}, ddbstream ${ddb.lines}, sequential ${seq.lines}`);
      }
      samples.ddbstream.push(ddb.ms);
      samples.ddbstreamCpu.push(ddb.cpuMs);
      samples.sequential.push(seq.ms);
      const start = await runMeasured(process.execPath, [DDBSTREAM, 'export', empty.streamArn, '--endpoint-url', empty.endpoint]);
      samples.ddbstreamStart.push(start.ms);
      samples.ddbstreamStartCpu.push(start.cpuMs);
      samples.sequentialStart.push((await runMeasured(process.execPath, [SDK_BASELINE, '--endpoint', empty.endpoint, '--stream-arn', empty.streamArn])).ms);
    }
    const { shards } = JSON.parse(await readFile(summaryFile, 'utf8'));
    const path = criticalPath(shards);
    const criticalMs = path.calls * LATENCY_MS;
    const ddbMs = median(samples.ddbstream);
    const seqMs = median(samples.sequential);
    const ddbStart = median(samples.ddbstreamStart);
    const seqStart = median(samples.sequentialStart);
    const reading = ddbMs - ddbStart;
    return [
      { name: `${tree.name}: sequential SDK reader (baseline)`, ms: seqMs },
      { name: `${tree.name}: ddbstream export`, ms: ddbMs, ratio: ddbMs / seqMs, target: tree.targetSequential },
      {
        name: `${tree.name}: critical path (${path.shards} shards deep, ${path.calls} calls × ${LATENCY_MS} ms)`,
        ms: criticalMs,
      },
      { name: `${tree.name}: ddbstream minus its start-up (${ddbStart.toFixed(0)} ms) vs critical path`, ms: reading, ratio: reading / criticalMs, target: '<= 1.5' },
      {
        name: `${tree.name}: sequential minus its start-up (${seqStart.toFixed(0)} ms) vs critical path`,
        ms: seqMs - seqStart,
        ratio: (seqMs - seqStart) / criticalMs,
      },
      { name: `${tree.name}: ddbstream wall time vs critical path`, value: `${ddbMs.toFixed(1)} ms`, ratio: ddbMs / criticalMs },
      ...(samples.ddbstreamCpu[0] === undefined ? [] : [{
        name: `${tree.name}: ddbstream CPU time (user + system), of which start-up`,
        value: `${median(samples.ddbstreamCpu).toFixed(0)} ms, ${median(samples.ddbstreamStartCpu).toFixed(0)} ms`,
      }]),
    ];
  } finally {
    await fake.stop();
  }
}

/** The longest root→leaf chain in calls: one DescribeStream, then per shard 1 GetShardIterator + its pages. */
export function criticalPath(shards) {
  const byId = new Map(shards.map((s) => [s.shardId, s]));
  const memo = new Map();
  const cost = (shard) => {
    if (memo.has(shard.shardId)) return memo.get(shard.shardId);
    const parent = shard.parentShardId ? byId.get(shard.parentShardId) : undefined;
    const above = parent ? cost(parent) : { calls: 0, shards: 0 };
    const value = { calls: above.calls + 1 + shard.pages, shards: above.shards + 1 };
    memo.set(shard.shardId, value);
    return value;
  };
  let longest = { calls: 0, shards: 0 };
  for (const shard of shards) if (cost(shard).calls > longest.calls) longest = cost(shard);
  return { calls: longest.calls + 1, shards: longest.shards };
}
