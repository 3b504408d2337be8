// `ddbstream export` over a lineage of shards on the fake endpoint with a fixed latency per call,
// against the sequential SDK reader (one shard after another, parents first) in the same run, and
// against the critical path: the longest parent→child chain's calls (DescribeStream, then per
// shard GetShardIterator + its GetRecords pages) × the latency. Page counts come from the
// sequential reader's own summary of the actual shard tree. Start-up (process, SDK load) is
// measured on an empty stream and subtracted before comparing with the critical path.
//
// Cases: a binary tree of 63 shards (depth 6), where reading siblings at once can win; the same
// tree at 200 ms a call, where the client's CPU time matters less next to the waiting; and a chain
// of 64 rollovers, where nothing can run in parallel and only the per-level overhead shows.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanFakeBundles, startFakeProcess } from './fake-streams.mjs';
import { DDBSTREAM, SDK_BASELINE, runMeasured } from './spawn-measured.mjs';
import { median, report } from './stats.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const RECORDS_PER_SHARD = 100;
const TREE = ['--depth', '6', '--fanout', '2'];
const CASES = [
  { name: 'tree of 63, 40 ms', args: TREE, latency: 40, targetSequential: '<= 0.3', variants: [[], ['--concurrency', '32']] },
  // Reading one shard after another at 200 ms a call takes half a minute: one sequential run.
  { name: 'tree of 63, 200 ms', args: TREE, latency: 200, sequentialRuns: 1, targetSequential: '<= 0.3', variants: [[], ['--concurrency', '32']] },
  { name: 'chain of 64, 40 ms', args: ['--depth', '64', '--fanout', '1'], latency: 40, targetSequential: '~1 (nothing to run in parallel)', variants: [[]] },
];

export async function run() {
  const dir = await mkdtemp(join(tmpdir(), 'ddbstream-bench-lineage-'));
  const empty = await startFakeProcess(['--scenario', 'lazy', '--records', '0']);
  try {
    const rows = [];
    for (const benchCase of CASES) rows.push(...(await measureCase(benchCase, empty, dir)));
    return report('export-lineage', rows, `fake endpoint, ${RECORDS_PER_SHARD} records a shard, median of ${RUNS} interleaved runs`);
  } finally {
    await empty.stop();
    await cleanFakeBundles();
    await rm(dir, { recursive: true, force: true });
  }
}

async function measureCase(benchCase, empty, dir) {
  const fake = await startFakeProcess([
    '--scenario', 'lineage', ...benchCase.args, '--records', String(RECORDS_PER_SHARD), '--latency', String(benchCase.latency),
  ]);
  const summaryFile = join(dir, 'summary.json');
  const variants = benchCase.variants.map((args) => ({ args, wall: [], cpu: [] }));
  const sequential = [];
  const start = { ddbstream: [], ddbstreamCpu: [], sequential: [] };
  const counted = (name, result) => {
    if (result.lines !== fake.records) throw new Error(`${name} wrote ${result.lines} records, the stream has ${fake.records}`);
    return result;
  };
  try {
    for (let i = 0; i < RUNS; i++) {
      for (const variant of variants) {
        const ddb = counted('ddbstream', await runMeasured(process.execPath, [
          DDBSTREAM, 'export', fake.streamArn, '--endpoint-url', fake.endpoint, ...variant.args,
        ]));
        variant.wall.push(ddb.ms);
        variant.cpu.push(ddb.cpuMs);
      }
      if (i < (benchCase.sequentialRuns ?? RUNS)) {
        sequential.push(counted('sequential reader', await runMeasured(process.execPath, [
          SDK_BASELINE, '--endpoint', fake.endpoint, '--stream-arn', fake.streamArn, '--summary', summaryFile,
        ])).ms);
      }
      const ddbStart = await runMeasured(process.execPath, [DDBSTREAM, 'export', empty.streamArn, '--endpoint-url', empty.endpoint]);
      start.ddbstream.push(ddbStart.ms);
      start.ddbstreamCpu.push(ddbStart.cpuMs);
      start.sequential.push((await runMeasured(process.execPath, [SDK_BASELINE, '--endpoint', empty.endpoint, '--stream-arn', empty.streamArn])).ms);
    }
  } finally {
    await fake.stop();
  }

  const { shards } = JSON.parse(await readFile(summaryFile, 'utf8'));
  const path = criticalPath(shards);
  const criticalMs = path.calls * benchCase.latency;
  const seqMs = median(sequential);
  const ddbStart = median(start.ddbstream);
  const seqStart = median(start.sequential);
  const label = benchCase.name;
  const rows = [
    { name: `${label}: sequential SDK reader (baseline)${sequential.length === 1 ? ', one run' : ''}`, ms: seqMs },
    {
      name: `${label}: critical path, ${path.shards} shards deep: ${path.calls} calls × ${benchCase.latency} ms`,
      ms: criticalMs,
    },
    { name: `${label}: sequential minus start-up (${seqStart.toFixed(0)} ms) vs critical path`, ms: seqMs - seqStart, ratio: (seqMs - seqStart) / criticalMs },
  ];
  for (const variant of variants) {
    const name = `${label}: ddbstream export${variant.args.length ? ' ' + variant.args.join(' ') : ''}`;
    const wall = median(variant.wall);
    const reading = wall - ddbStart;
    rows.push(
      { name, ms: wall, ratio: wall / seqMs, target: benchCase.targetSequential },
      { name: `${name}, minus start-up (${ddbStart.toFixed(0)} ms) vs critical path`, ms: reading, ratio: reading / criticalMs, target: '<= 1.3' },
    );
    if (variant.cpu[0] !== undefined) {
      rows.push({
        name: `${name}, CPU time (user + system) beyond start-up`,
        value: `${(median(variant.cpu) - median(start.ddbstreamCpu)).toFixed(0)} ms`,
      });
    }
  }
  return rows;
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
