// The baseline live reader: the open shards from LATEST, GetRecords in a loop, a pause of
// --poll-interval ms after every page that was not full, one JSON line per record on stdout.
// Runs until SIGINT/SIGTERM.
//
//   node bench/baseline-sdk-tail.mjs --endpoint URL --stream-arn ARN [--poll-interval MS]
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { unmarshall } from '@aws-sdk/util-dynamodb';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const { values } = parseArgs({
  options: { endpoint: { type: 'string' }, 'stream-arn': { type: 'string' }, 'poll-interval': { type: 'string', default: '250' } },
});
const streamArn = values['stream-arn'];
const pollMs = Number(values['poll-interval']);
const client = new DynamoDBStreamsClient({
  region: 'us-east-1',
  endpoint: values.endpoint,
  credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
});
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    stopping = true;
  });
}

const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn: streamArn }));
const open = StreamDescription.Shards.filter((s) => !s.SequenceNumberRange?.EndingSequenceNumber);
await Promise.all(open.map((shard) => follow(shard.ShardId)));
client.destroy();

async function follow(shardId) {
  let { ShardIterator: iterator } = await client.send(
    new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'LATEST' }),
  );
  while (iterator && !stopping) {
    const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    let chunk = '';
    for (const r of page.Records) {
      const line = { eventName: r.eventName, sequenceNumber: r.dynamodb.SequenceNumber, keys: unmarshall(r.dynamodb.Keys) };
      if (r.dynamodb.NewImage) line.newImage = unmarshall(r.dynamodb.NewImage);
      chunk += JSON.stringify(line) + '\n';
    }
    if (chunk) process.stdout.write(chunk);
    iterator = page.NextShardIterator;
    if (page.Records.length < 1000 && pollMs > 0) await sleep(pollMs);
  }
}
