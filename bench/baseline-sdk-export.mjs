// The baseline a user could write in a few minutes with the AWS SDK v3: one shard after another
// (parents before children), GetShardIterator TRIM_HORIZON, GetRecords Limit 1000 until the
// shard ends (no NextShardIterator) or a page comes back empty, unmarshall each image,
// JSON.stringify, write to stdout. No concurrency, no retries, no exact numbers.
//
//   node bench/baseline-sdk-export.mjs --endpoint URL --stream-arn ARN [--summary FILE]
//
// --summary writes {shards: [{shardId, parentShardId, pages, records}]} in reading order, which
// the lineage benchmark uses to compute the critical path.
import { writeFile } from 'node:fs/promises';
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
  options: { endpoint: { type: 'string' }, 'stream-arn': { type: 'string' }, summary: { type: 'string' } },
});
const streamArn = values['stream-arn'];
const client = new DynamoDBStreamsClient({
  region: 'us-east-1',
  endpoint: values.endpoint,
  credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
});

const shards = [];
let start;
do {
  const { StreamDescription: d } = await client.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }));
  shards.push(...d.Shards);
  start = d.LastEvaluatedShardId;
} while (start);

const write = (text) => (process.stdout.write(text) ? undefined : new Promise((resolve) => process.stdout.once('drain', resolve)));
const summary = [];
for (const shard of lineageOrder(shards)) {
  const { ShardIterator } = await client.send(
    new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
  );
  let iterator = ShardIterator;
  let pages = 0;
  let records = 0;
  while (iterator) {
    const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    pages++;
    records += page.Records.length;
    let chunk = '';
    for (const r of page.Records) {
      const line = { eventName: r.eventName, sequenceNumber: r.dynamodb.SequenceNumber, keys: unmarshall(r.dynamodb.Keys) };
      if (r.dynamodb.OldImage) line.oldImage = unmarshall(r.dynamodb.OldImage);
      if (r.dynamodb.NewImage) line.newImage = unmarshall(r.dynamodb.NewImage);
      chunk += JSON.stringify(line) + '\n';
    }
    if (chunk) await write(chunk);
    iterator = page.Records.length ? page.NextShardIterator : undefined;
  }
  summary.push({ shardId: shard.ShardId, parentShardId: shard.ParentShardId, pages, records });
}
if (values.summary) await writeFile(values.summary, JSON.stringify({ shards: summary }));
client.destroy();

/** Parents before children; a shard whose parent is not listed is a root. */
function lineageOrder(list) {
  const ids = new Set(list.map((s) => s.ShardId));
  const children = new Map();
  for (const s of list) {
    const parent = s.ParentShardId && ids.has(s.ParentShardId) ? s.ParentShardId : undefined;
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(s);
  }
  const ordered = [];
  const visit = (parent) => {
    for (const s of children.get(parent) ?? []) {
      ordered.push(s);
      visit(s.ShardId);
    }
  };
  visit(undefined);
  return ordered;
}
