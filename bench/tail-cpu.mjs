// CPU of `ddbstream tail` in its interactive view against the NDJSON tail, for the same records
// arriving at the same rate. The fake endpoint runs as its own process with one open shard taking
// BENCH_TAIL_RATE (800) records a second; each run starts a fresh fake and reads from
// TRIM_HORIZON with -n, so every run sees the same generated records. The interactive view runs
// on a pseudo-terminal (`script`), 200 × 50, its output read and dropped by this process; the
// NDJSON tail writes into a pipe. GNU time gives each process's CPU (user + system). Start-up is
// measured the same way with -n 1 and subtracted, leaving CPU per record.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanFakeBundles, startFakeProcess } from './fake-streams.mjs';
import { localEnv } from './local-table.mjs';
import { DDBSTREAM, canMeasureRss, runMeasured } from './spawn-measured.mjs';
import { report } from './stats.mjs';
import { hasScript, isRecordHeader, startInTerminal } from './terminal.mjs';

const RATE = Number(process.env.BENCH_TAIL_RATE ?? 800);
const RECORDS = Number(process.env.BENCH_TAIL_RECORDS ?? 8000);
const TARGET_RATIO = 3;

export async function run() {
  if (!canMeasureRss || !hasScript) {
    return report('tail-cpu', [{ name: 'skipped', value: 'GNU time (/usr/bin/time) and `script` (util-linux) are needed' }]);
  }
  const rows = [];
  try {
    const ndjson = { full: await ndjsonTail(RECORDS), startup: await ndjsonTail(1) };
    const pretty = { full: await prettyTail(RECORDS), startup: await prettyTail(1) };
    const perRecord = (m) => (m.full.cpuMs - m.startup.cpuMs) / RECORDS;
    const ndjsonPer = perRecord(ndjson);
    const prettyPer = perRecord(pretty);
    rows.push(
      { name: `NDJSON tail into a pipe (baseline), ${label(RECORDS)} records`, value: `${ndjson.full.cpuMs.toFixed(0)} ms CPU (start-up with -n 1: ${ndjson.startup.cpuMs.toFixed(0)} ms)` },
      { name: `interactive view on a terminal, ${label(RECORDS)} records`, value: `${pretty.full.cpuMs.toFixed(0)} ms CPU (start-up with -n 1: ${pretty.startup.cpuMs.toFixed(0)} ms); ${label(pretty.full.shown)} records on screen` },
      { name: 'CPU per record beyond start-up: NDJSON tail', value: `${ndjsonPer.toFixed(3)} ms` },
      { name: 'CPU per record beyond start-up: interactive view', value: `${prettyPer.toFixed(3)} ms`, ratio: prettyPer / ndjsonPer, target: `<= ${TARGET_RATIO}` },
      { name: 'peak RSS: NDJSON tail / interactive view', value: `${ndjson.full.peakRssMb.toFixed(0)} MB / ${pretty.full.peakRssMb.toFixed(0)} MB` },
    );
  } finally {
    await cleanFakeBundles();
  }
  return report('tail-cpu', rows, `${label(RECORDS)} records arriving at ${RATE}/s, one run each; CPU from GNU time`);
}

const label = (n) => n.toLocaleString('en-US');

function tailArgs(fake, count) {
  return [DDBSTREAM, 'tail', fake.streamArn, '--endpoint-url', fake.endpoint, '--from', 'trim-horizon', '-n', String(count)];
}

async function withFake(body) {
  const fake = await startFakeProcess(['--scenario', 'live', '--rate', String(RATE)]);
  try {
    return await body(fake);
  } finally {
    await fake.stop();
  }
}

function ndjsonTail(count) {
  return withFake(async (fake) => {
    const result = await runMeasured(process.execPath, tailArgs(fake, count), { env: localEnv() });
    if (result.lines !== count) throw new Error(`the NDJSON tail wrote ${result.lines} records, expected ${count}`);
    return result;
  });
}

function prettyTail(count) {
  return withFake(async (fake) => {
    const dir = await mkdtemp(join(tmpdir(), 'ddbstream-bench-tail-'));
    try {
      const usage = join(dir, 'usage');
      let shown = 0;
      const terminal = startInTerminal(['/usr/bin/time', '-f', '%M %U %S', '-o', usage, process.execPath, ...tailArgs(fake, count)], {
        env: localEnv(),
        onLine: (line) => {
          if (isRecordHeader(line)) shown++;
        },
      });
      const code = await terminal.exited;
      if (code !== 0) throw new Error(`the interactive tail exited ${code}: ${terminal.stderr()}`);
      const [rssKb, user, system] = (await readFile(usage, 'utf8')).trim().split('\n').pop().split(' ').map(Number);
      // Every record should have been drawn; fewer means the view dropped some and did less work.
      if (shown !== count) throw new Error(`the interactive tail showed ${shown} records, expected ${count}`);
      return { cpuMs: (user + system) * 1000, peakRssMb: rssKb / 1024, shown };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
