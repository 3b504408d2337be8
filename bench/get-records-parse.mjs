// Client CPU to read GetRecords pages of 1,000 records: the SDK's own deserializer
// (`client.send(new GetRecordsCommand(...))`) against the raw-body reader (`getRecordsRaw`),
// interleaved in one process against the fake endpoint in its own process (so only the client's
// parsing, signing and garbage collection are counted). The raw-body reader should take
// clearly less CPU per page than the SDK path (issue #13 item 1).
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { cleanFakeBundles, startFakeProcess } from './fake-streams.mjs';
import { median, report } from './stats.mjs';

// The SDK's notice about Node versions is noise in a table of figures (the CLI silences it too).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PAGES = Number(process.env.BENCH_PAGES ?? 20);
const PAGE_SIZE = 1000;

export async function run() {
  // Built by `npm run bench` before any benchmark runs.
  const { getRecordsRaw } = await import('../dist/aws/raw-get-records.js');
  const fake = await startFakeProcess(['--scenario', 'lazy', '--records', String(PAGES * PAGE_SIZE)]);
  const client = new DynamoDBStreamsClient({
    endpoint: fake.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    maxAttempts: 1,
  });
  const paths = {
    sdk: (iterator) => client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: PAGE_SIZE })),
    raw: (iterator) => getRecordsRaw(client, { ShardIterator: iterator, Limit: PAGE_SIZE }),
  };
  const [shardId] = await shardIds(client, fake.streamArn);
  try {
    // One pass each first, so both paths are compiled before anything counts.
    for (const read of Object.values(paths)) await readShard(client, fake.streamArn, shardId, read);
    const cpu = { sdk: [], raw: [] };
    for (let i = 0; i < RUNS; i++) {
      // Alternating order, so garbage one path leaves behind is not always collected by the other.
      const order = i % 2 ? ['raw', 'sdk'] : ['sdk', 'raw'];
      for (const name of order) cpu[name].push((await readShard(client, fake.streamArn, shardId, paths[name])) / PAGES);
    }
    const sdk = median(cpu.sdk);
    const raw = median(cpu.raw);
    return report('get-records-parse', [
      { name: 'SDK deserializer, CPU per page', ms: sdk },
      { name: 'raw-body reader, CPU per page', ms: raw, ratio: raw / sdk, target: '< 1' },
    ], `${PAGES} pages of ${PAGE_SIZE} records, client CPU (user + system) per page, median of ${RUNS} interleaved runs`);
  } finally {
    client.destroy();
    await fake.stop();
    await cleanFakeBundles();
  }
}

async function shardIds(client, streamArn) {
  const out = await client.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  return out.StreamDescription.Shards.map((s) => s.ShardId);
}

/** Reads the closed shard to its end with `read`; resolves with the CPU time taken, in ms. */
async function readShard(client, streamArn, shardId, read) {
  const { ShardIterator } = await client.send(new GetShardIteratorCommand({
    StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON',
  }));
  const before = process.cpuUsage();
  let iterator = ShardIterator;
  let records = 0;
  while (iterator) {
    const page = await read(iterator);
    records += page.Records.length;
    iterator = page.NextShardIterator;
  }
  const used = process.cpuUsage(before);
  if (records !== PAGES * PAGE_SIZE) throw new Error(`read ${records} records, the shard has ${PAGES * PAGE_SIZE}`);
  return (used.user + used.system) / 1000;
}
