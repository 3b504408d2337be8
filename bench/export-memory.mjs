// Peak RSS of `ddbstream export` over 100,000 and 1,000,000 records of one generated shard on the
// fake endpoint (its own process), output through a real pipe into this process (lines counted,
// nothing kept). The SDK v3 loop is measured the same way as the baseline: it holds one page at a
// time and does no prefetching, the least any reader can do.
import { cleanFakeBundles, startFakeProcess } from './fake-streams.mjs';
import { DDBSTREAM, SDK_BASELINE, canMeasureRss, runMeasured } from './spawn-measured.mjs';
import { report } from './stats.mjs';

const COUNTS = (process.env.BENCH_MEMORY_COUNTS ?? '100000,1000000').split(',').map(Number);
const TARGET_MB = 120;

export async function run() {
  if (!canMeasureRss) {
    return report('export-memory', [{ name: 'skipped', value: 'GNU time (/usr/bin/time) is needed to measure peak RSS' }]);
  }
  const rows = [];
  const peaks = {};
  try {
    for (const count of COUNTS) {
      const fake = await startFakeProcess(['--scenario', 'lazy', '--records', String(count)]);
      try {
        const ddb = await runMeasured(process.execPath, [DDBSTREAM, 'export', fake.streamArn, '--endpoint-url', fake.endpoint]);
        const sdk = await runMeasured(process.execPath, [SDK_BASELINE, '--endpoint', fake.endpoint, '--stream-arn', fake.streamArn]);
        for (const [name, result] of [['ddbstream', ddb], ['SDK loop', sdk]]) {
          if (result.lines !== count) throw new Error(`${name} wrote ${result.lines} records, expected ${count}`);
        }
        peaks[count] = ddb.peakRssMb;
        const label = count.toLocaleString('en-US');
        rows.push(
          { name: `SDK v3 loop (baseline), ${label} records`, value: `${sdk.peakRssMb.toFixed(1)} MB (${rate(count, sdk.ms)})` },
          {
            name: `ddbstream export, ${label} records`,
            value: `${ddb.peakRssMb.toFixed(1)} MB (${rate(count, ddb.ms)})`,
            ratio: ddb.peakRssMb / sdk.peakRssMb,
            target: `<= ${TARGET_MB} MB`,
          },
        );
      } finally {
        await fake.stop();
      }
    }
  } finally {
    await cleanFakeBundles();
  }
  if (COUNTS.length > 1) {
    const [small, large] = [COUNTS[0], COUNTS.at(-1)];
    rows.push({
      name: `ddbstream peak RSS, ${large.toLocaleString('en-US')} vs ${small.toLocaleString('en-US')} records`,
      value: `${(peaks[large] - peaks[small]).toFixed(1)} MB more`,
      ratio: peaks[large] / peaks[small],
      target: 'flat (~1.0)',
    });
  }
  return report('export-memory', rows, 'peak RSS from GNU time, one run each; ratio is against the SDK loop on the same records');
}

function rate(count, ms) {
  return `${Math.round(count / (ms / 1000)).toLocaleString('en-US')} records/s`;
}
