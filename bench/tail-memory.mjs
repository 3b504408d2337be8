// Heap of `ddbstream tail`'s interactive view against the number of records it has shown. The
// fake endpoint runs as its own process with one open shard taking BENCH_TAIL_RATE (1000) records
// a second; the view reads BENCH_TAIL_MEMORY_RECORDS (30,000) of them from TRIM_HORIZON (-n) on a
// pseudo-terminal of 200 × 50. Once a second the process runs a full GC and logs its heap
// (bench/heap-probe.mjs, preloaded); this process counts the records drawn on the terminal. The
// figure is the slope of heap-after-GC against records shown, past the first few thousand.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanFakeBundles, startFakeProcess } from './fake-streams.mjs';
import { localEnv } from './local-table.mjs';
import { DDBSTREAM, canMeasureRss } from './spawn-measured.mjs';
import { report } from './stats.mjs';
import { hasScript, isRecordHeader, startInTerminal } from './terminal.mjs';

const RATE = Number(process.env.BENCH_TAIL_RATE ?? 1000);
const RECORDS = Number(process.env.BENCH_TAIL_MEMORY_RECORDS ?? 30_000);
/** Start-up, the first pages and the JIT settle in this many records; the slope starts after. */
const WARM_UP = Math.min(5_000, Math.floor(RECORDS / 5));
const PROBE = fileURLToPath(new URL('./heap-probe.mjs', import.meta.url));
const MB = 1024 * 1024;

export async function run() {
  if (!canMeasureRss || !hasScript) {
    return report('tail-memory', [{ name: 'skipped', value: 'GNU time (/usr/bin/time) and `script` (util-linux) are needed' }]);
  }
  const dir = await mkdtemp(join(tmpdir(), 'ddbstream-bench-heap-'));
  const fake = await startFakeProcess(['--scenario', 'live', '--rate', String(RATE)]);
  try {
    const heapFile = join(dir, 'heap');
    const usageFile = join(dir, 'usage');
    // [epoch ms, records shown by then], one entry per 100 records.
    const shownAt = [[Date.now(), 0]];
    let shown = 0;
    const terminal = startInTerminal([
      '/usr/bin/time', '-f', '%M', '-o', usageFile,
      process.execPath, '--expose-gc', '--import', PROBE,
      DDBSTREAM, 'tail', fake.streamArn, '--endpoint-url', fake.endpoint, '--from', 'trim-horizon', '-n', String(RECORDS),
    ], {
      env: { ...localEnv(), BENCH_HEAP_FILE: heapFile },
      onLine: (line) => {
        if (!isRecordHeader(line)) return;
        shown++;
        if (shown % 100 === 0) shownAt.push([Date.now(), shown]);
      },
    });
    const code = await terminal.exited;
    if (code !== 0) throw new Error(`the interactive tail exited ${code}: ${terminal.stderr()}`);
    if (shown !== RECORDS) throw new Error(`the interactive tail showed ${shown} records, expected ${RECORDS}`);

    const samples = (await readFile(heapFile, 'utf8')).trim().split('\n').map((line) => line.split(' ').map(Number))
      .map(([at, heap]) => ({ heap, shown: shownBy(shownAt, at) }))
      .filter((s) => s.shown >= WARM_UP && s.shown < RECORDS);
    if (samples.length < 5) throw new Error(`only ${samples.length} heap samples past the warm-up`);
    const slope = slopeOf(samples);
    const peakRssMb = Number((await readFile(usageFile, 'utf8')).trim().split('\n').pop()) / 1024;
    const [first, last] = [samples[0], samples.at(-1)];
    return report('tail-memory', [
      {
        name: `heap after GC, ${label(first.shown)} → ${label(last.shown)} records shown`,
        value: `${(first.heap / MB).toFixed(1)} MB → ${(last.heap / MB).toFixed(1)} MB (${samples.length} samples)`,
      },
      {
        name: 'heap growth per 10,000 records shown (least-squares slope)',
        value: `${((slope * 10_000) / MB).toFixed(2)} MB (${(slope / 1024).toFixed(3)} KB a record)`,
        target: '~0: does not grow with records shown',
      },
      { name: 'peak RSS', value: `${peakRssMb.toFixed(0)} MB` },
    ], `${label(RECORDS)} records arriving at ${RATE}/s on a 200 × 50 terminal, one run; heap sampled once a second after a full GC`);
  } finally {
    await fake.stop();
    await cleanFakeBundles();
    await rm(dir, { recursive: true, force: true });
  }
}

const label = (n) => n.toLocaleString('en-US');

/** Records shown at `at`, from the last count seen before it. */
function shownBy(shownAt, at) {
  let count = 0;
  for (const [when, n] of shownAt) {
    if (when > at) break;
    count = n;
  }
  return count;
}

/** Least-squares slope of heap (bytes) against records shown. */
function slopeOf(samples) {
  const n = samples.length;
  const mx = samples.reduce((s, p) => s + p.shown, 0) / n;
  const my = samples.reduce((s, p) => s + p.heap, 0) / n;
  const sxy = samples.reduce((s, p) => s + (p.shown - mx) * (p.heap - my), 0);
  const sxx = samples.reduce((s, p) => s + (p.shown - mx) ** 2, 0);
  return sxy / sxx;
}
