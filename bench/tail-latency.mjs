// How soon a write shows up in a live, piped reader, and how often an idle shard is polled.
//
// Delay: DynamoDB Local, one table. Three readers follow the stream at once and see the same
// writes: `ddbstream export --follow --from latest` (the live reader `tail` uses, default poll
// interval), the SDK loop polling at the same 250 ms, and the SDK loop polling every 25 ms (about
// what DynamoDB Local itself adds). 50 PutItem calls, 200 ms apart; for each, the time from the
// PutItem response to the record's line arriving through the reader's stdout pipe.
//
// Idle rate: the fake endpoint in this process (for its call log) with one open, empty shard;
// GetRecords calls per second from `ddbstream export --follow` over 5 seconds.
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { cleanFakeBundles, importFakeLibrary } from './fake-streams.mjs';
import { benchItem, localEnv, startLocal } from './local-table.mjs';
import { DDBSTREAM, startStreaming } from './spawn-measured.mjs';
import { median, quantile, report } from './stats.mjs';

const WRITES = Number(process.env.BENCH_WRITES ?? 50);
const GAP_MS = 200;
const IDLE_SECONDS = 5;
const SDK_TAIL = fileURLToPath(new URL('./baseline-sdk-tail.mjs', import.meta.url));

export async function run() {
  const rows = [...(await measureDelay()), ...(await measureIdleRate())];
  return report('tail-latency', rows, `${WRITES} writes ${GAP_MS} ms apart; delay = PutItem answered → line read from the pipe`);
}

async function measureDelay() {
  const local = await startLocal();
  const readers = [];
  try {
    const streamArn = await local.createTable('Tail');
    const put = async (pk, version) => {
      const item = { ...benchItem(0, version), pk: { S: pk } };
      await local.dynamodb.send(new PutItemCommand({ TableName: 'Tail', Item: item }));
      return process.hrtime.bigint();
    };
    // DynamoDB Local opens the stream's shard with the first write; readers starting at LATEST
    // need it to exist.
    await put('seed', 0);

    const env = localEnv();
    const specs = [
      { name: 'ddbstream export --follow --from latest (poll 250 ms)', args: [DDBSTREAM, 'export', 'Tail', '--follow', '--from', 'latest', '--endpoint-url', local.endpoint] },
      { name: 'SDK loop, poll 250 ms (baseline)', args: [SDK_TAIL, '--endpoint', local.endpoint, '--stream-arn', streamArn, '--poll-interval', '250'] },
      { name: 'SDK loop, poll 25 ms (floor)', args: [SDK_TAIL, '--endpoint', local.endpoint, '--stream-arn', streamArn, '--poll-interval', '25'] },
    ];
    for (const spec of specs) {
      const seen = new Map();
      const reader = startStreaming(process.execPath, spec.args, {
        env,
        onLine: (line, at) => {
          const pk = JSON.parse(line).keys?.pk;
          if (typeof pk === 'string' && !seen.has(pk)) seen.set(pk, at);
        },
      });
      readers.push({ ...spec, reader, seen });
    }

    // Readers are ready once each has shown a probe write (they start at LATEST: earlier
    // writes are not theirs to see).
    for (let probe = 0; !readers.every((r) => [...r.seen.keys()].some((k) => k.startsWith('probe-'))); probe++) {
      if (probe > 100) throw new Error(`readers did not start: ${readers.map((r) => r.reader.stderr()).join(' | ')}`);
      await put(`probe-${probe}`, 0);
      await sleep(300);
    }

    const written = new Map();
    for (let i = 0; i < WRITES; i++) {
      written.set(`timed-${i}`, await put(`timed-${i}`, i));
      await sleep(GAP_MS);
    }
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !readers.every((r) => [...written.keys()].every((k) => r.seen.has(k)))) await sleep(100);

    const rows = [];
    let baselineMedian;
    for (const r of readers) {
      const delays = [...written].filter(([pk]) => r.seen.has(pk)).map(([pk, at]) => Number(r.seen.get(pk) - at) / 1e6);
      if (delays.length !== WRITES) throw new Error(`${r.name} saw ${delays.length} of ${WRITES} writes: ${r.reader.stderr()}`);
      const med = median(delays);
      if (r.name.includes('baseline')) baselineMedian = med;
      rows.push({
        name: r.name,
        value: `median ${med.toFixed(0)} ms · p90 ${quantile(delays, 0.9).toFixed(0)} ms · max ${Math.max(...delays).toFixed(0)} ms`,
        ...(r.args[0] === DDBSTREAM ? { target: 'median <= 500 ms' } : {}),
        median: med,
      });
    }
    rows[0].ratio = rows[0].median / baselineMedian;
    return rows;
  } finally {
    for (const r of readers) await r.reader.stop();
    await local.stop();
  }
}

async function measureIdleRate() {
  const { startFakeStreams } = await importFakeLibrary();
  const fake = await startFakeStreams();
  let reader;
  try {
    const { streamArn } = fake.addTable({ tableName: 'Idle', stream: { shards: 1 } });
    reader = startStreaming(process.execPath, [DDBSTREAM, 'export', streamArn, '--follow', '--endpoint-url', fake.endpoint], { onLine: () => {} });
    for (let i = 0; fake.log.count({ action: 'GetRecords' }) === 0; i++) {
      if (i > 200) throw new Error(`ddbstream did not start polling: ${reader.stderr()}`);
      await sleep(50);
    }
    await sleep(500);
    const since = fake.now();
    await sleep(IDLE_SECONDS * 1000);
    const getRecords = fake.log.callsPerSecond({ action: 'GetRecords' }, since);
    const describes = fake.log.callsPerSecond({ action: 'DescribeStream' }, since);
    return [
      { name: `idle open shard, GetRecords per second over ${IDLE_SECONDS} s (fake endpoint call log)`, value: getRecords.toFixed(2), target: '<= ~4' },
      { name: 'idle open shard, DescribeStream per second', value: describes.toFixed(2) },
    ];
  } finally {
    await reader?.stop();
    await fake.close();
    await cleanFakeBundles();
  }
}
