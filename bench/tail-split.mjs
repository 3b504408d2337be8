// How soon a record written to a new child shard shows up in a live tail, across splits.
//
// The fake endpoint runs in this process with one open shard. `ddbstream tail STREAM` (piped, so
// NDJSON) follows it. Then, SPLITS times: the open shard rolls over into a child that the next
// DescribeStream answer still leaves out (the service lists a child a moment after its parent
// ends), and a record goes to the child every 100 ms for 2 s. For each child record: the time
// from the write to its line arriving through the reader's stdout pipe. The baseline is the same
// reader's delay for records written to the first shard before any split (steady state).
//
// BENCH_COMPARE=<another build's bin/ddbstream.js> runs that build the same way, in the same run.
import { setTimeout as sleep } from 'node:timers/promises';
import { cleanFakeBundles, importFakeLibrary } from './fake-streams.mjs';
import { DDBSTREAM, startStreaming } from './spawn-measured.mjs';
import { median, quantile, report } from './stats.mjs';

const SPLITS = Number(process.env.BENCH_SPLITS ?? 5);
const WRITES_PER_SPLIT = 20;
const GAP_MS = 100;
// Longer than the 10 s periodic describe: a reader that waits for it still shows every record.
const SETTLE_MS = 13_000;

export async function run() {
  const builds = [{ name: 'ddbstream tail', bin: DDBSTREAM }];
  if (process.env.BENCH_COMPARE) builds.push({ name: 'ddbstream tail (BENCH_COMPARE build)', bin: process.env.BENCH_COMPARE });
  const rows = [];
  try {
    for (const build of builds) rows.push(...(await measure(build)));
  } finally {
    await cleanFakeBundles();
  }
  return report('tail-split', rows, `${SPLITS} rollovers, ${WRITES_PER_SPLIT} child records each, ${GAP_MS} ms apart; delay = write → line read from the pipe`);
}

async function measure({ name, bin }) {
  const { startFakeStreams } = await importFakeLibrary();
  const fake = await startFakeStreams();
  let reader;
  try {
    const { streamArn } = fake.addTable({ tableName: 'Split', stream: { shards: 1 } });
    let leaf = fake.shardsOf(streamArn)[0].shardId;
    const seen = new Map();
    reader = startStreaming(process.execPath, [bin, 'tail', streamArn, '--endpoint-url', fake.endpoint], {
      onLine: (line, at) => {
        const pk = JSON.parse(line).keys?.pk;
        if (typeof pk === 'string' && !seen.has(pk)) seen.set(pk, at);
      },
    });
    const write = (shardId, pk) => {
      fake.appendRecords(shardId, [{ eventName: 'INSERT', newImage: { pk: { S: pk }, n: { N: '1' } } }]);
      return process.hrtime.bigint();
    };
    for (let probe = 0; ![...seen.keys()].some((k) => k.startsWith('probe-')); probe++) {
      if (probe > 100) throw new Error(`${name} did not start: ${reader.stderr()}`);
      write(leaf, `probe-${probe}`);
      await sleep(300);
    }

    const steady = new Map();
    for (let i = 0; i < WRITES_PER_SPLIT; i++) {
      steady.set(`steady-${i}`, write(leaf, `steady-${i}`));
      await sleep(GAP_MS);
    }
    const children = new Map();
    for (let s = 0; s < SPLITS; s++) {
      [leaf] = fake.split(leaf, 1, { listedLate: 1 });
      for (let i = 0; i < WRITES_PER_SPLIT; i++) {
        children.set(`child-${s}-${i}`, write(leaf, `child-${s}-${i}`));
        await sleep(GAP_MS);
      }
      const deadline = Date.now() + SETTLE_MS;
      while (Date.now() < deadline && ![...children.keys()].every((k) => seen.has(k))) await sleep(50);
    }

    const delays = (written) => {
      const out = [...written].filter(([pk]) => seen.has(pk)).map(([pk, at]) => Number(seen.get(pk) - at) / 1e6);
      if (out.length !== written.size) throw new Error(`${name} showed ${out.length} of ${written.size} records: ${reader.stderr()}`);
      return out;
    };
    const base = delays(steady);
    const child = delays(children);
    const describe = (values) => `p50 ${median(values).toFixed(0)} ms · p90 ${quantile(values, 0.9).toFixed(0)} ms · max ${Math.max(...values).toFixed(0)} ms`;
    return [
      { name: `${name}: records in the first shard, before any split (baseline)`, value: describe(base) },
      { name: `${name}: records in the new child shards`, value: describe(child), ratio: median(child) / median(base), target: 'p50 <= 1 s' },
    ];
  } finally {
    await reader?.stop();
    await fake.close();
  }
}
