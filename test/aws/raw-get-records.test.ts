import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  InternalServerError,
  LimitExceededException,
  ResourceNotFoundException,
  TrimmedDataAccessException,
  type GetRecordsCommandOutput,
} from '@aws-sdk/client-dynamodb-streams';
import { getRecordsRaw } from '../../src/aws/raw-get-records.js';
import { decodeGetRecordsBody } from '../../src/aws/get-records-body.js';
import { startFakeStreams, type FakeStreams, type RecordInput, type StreamViewType, type WireAttributeMap } from '../fake-streams/index.js';
import { rejectionOf, sdkClients } from '../fake-streams/sdk-clients.js';

let fake: FakeStreams | undefined;
let clients: ReturnType<typeof sdkClients> | undefined;

afterEach(async () => {
  clients?.destroy();
  await fake?.close();
  clients = undefined;
  fake = undefined;
});

/** A fake (with a clock the test moves) and SDK clients for it. */
async function setUp(maxAttempts = 1) {
  let clock = Date.UTC(2026, 0, 15, 12, 0, 0);
  fake = await startFakeStreams({ now: () => clock });
  clients = sdkClients(fake.endpoint, maxAttempts);
  return { fake, streams: clients.streams, advance: (ms: number) => (clock += ms) };
}

async function iteratorFor(streams: DynamoDBStreamsClient, streamArn: string, shardId: string): Promise<string> {
  const out = await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));
  return out.ShardIterator!;
}

/** A page without its per-response metadata (request ids differ between two calls). */
function pageOf({ $metadata: _metadata, ...page }: GetRecordsCommandOutput) {
  return page;
}

const base64 = (text: string) => Buffer.from(text).toString('base64');

/** One item holding every attribute type, nesting, empty containers and DynamoDB's number range. */
function variedItem(id: string, version: string): WireAttributeMap {
  return {
    pk: { S: id },
    sk: { N: version },
    text: { S: 'héllo "wörld"\n\u2028\u0000 ☃' },
    empty: { S: '' },
    big: { N: '12345678901234567890123456789012345678' },
    negative: { N: '-0.000000000000000000000000000000000000012345678901234567890123456789012345678' },
    huge: { N: '1E+125' },
    tiny: { N: '-1E-130' },
    bytes: { B: Buffer.from([0, 1, 98, 255]).toString('base64') },
    noBytes: { B: '' },
    names: { SS: ['b', 'a', 'ü'] },
    numbers: { NS: ['1', '-2.5', '99999999999999999999999999999999999999'] },
    blobs: { BS: [base64('one'), base64('two'), base64('three bytes and more')] },
    nothing: { NULL: true },
    yes: { BOOL: true },
    no: { BOOL: false },
    emptyMap: { M: {} },
    emptyList: { L: [] },
    nested: {
      M: {
        inner: { M: { deeper: { L: [{ N: '1' }, { B: base64('deep') }, { M: { leaf: { BS: [base64('x')] } } }, { L: [] }] } } },
        list: { L: [{ S: 'a' }, { NULL: true }, { BOOL: false }, { SS: ['s'] }, { NS: ['0'] }, { M: {} }] },
      },
    },
    mixed: { L: [{ L: [{ L: [{ S: 'three levels' }] }] }, { M: { b: { B: base64('in a map in a list') } } }] },
  };
}

/** A page of every event kind: INSERT, MODIFY, REMOVE and a TTL delete, with binary keys too. */
function variedRecords(): RecordInput[] {
  const time = new Date(Date.UTC(2026, 0, 15, 11, 59, 58));
  return [
    { eventName: 'INSERT', newImage: variedItem('a', '1'), time },
    { eventName: 'MODIFY', oldImage: variedItem('a', '1'), newImage: { ...variedItem('a', '2'), added: { S: 'new' } }, time },
    { eventName: 'REMOVE', oldImage: variedItem('a', '2'), time },
    {
      eventName: 'REMOVE',
      oldImage: variedItem('expired', '7'),
      userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' },
      time,
    },
    // DynamoDB Local 3.x sends an empty map as an untyped {}.
    { eventName: 'INSERT', newImage: { pk: { S: 'local' }, sk: { N: '0' }, metadata: {} as WireAttributeMap[string] }, time },
  ];
}

const VIEW_TYPES: StreamViewType[] = ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'];

describe('getRecordsRaw: the same page as the SDK', () => {
  it.each(VIEW_TYPES)('returns what the SDK deserializer returns for a varied page on a %s stream', async (viewType) => {
    const { fake, streams } = await setUp();
    const { streamArn } = fake.addTable({
      tableName: 'Varied',
      keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      attributeTypes: { sk: 'N' },
      stream: { viewType },
    });
    const shardId = fake.shardsOf(streamArn!)[0]!.shardId;
    fake.appendRecords(shardId, variedRecords());
    const iterator = await iteratorFor(streams, streamArn!, shardId);

    const sdk = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
    const fast = await getRecordsRaw(streams, { ShardIterator: iterator });

    expect(sdk.Records).toHaveLength(5);
    const { NextShardIterator: sdkNext, ...sdkPage } = pageOf(sdk);
    const { NextShardIterator: fastNext, ...fastPage } = pageOf(fast);
    expect(fastPage).toStrictEqual(sdkPage);
    // Each answer carries a freshly issued iterator; both are there on an open shard.
    expect(typeof sdkNext).toBe('string');
    expect(typeof fastNext).toBe('string');
    expect(fast.$metadata.httpStatusCode).toBe(200);
    expect(fast.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);

    // The shapes the reader relies on, spelled out.
    const record = fast.Records![0]!;
    expect(record.dynamodb?.ApproximateCreationDateTime).toEqual(new Date(Date.UTC(2026, 0, 15, 11, 59, 58)));
    expect(record.dynamodb?.StreamViewType).toBe(viewType);
    if (viewType.startsWith('NEW')) {
      const image = record.dynamodb!.NewImage!;
      expect(image.bytes?.B).toBeInstanceOf(Uint8Array);
      expect([...image.bytes!.B!]).toEqual([0, 1, 98, 255]);
      expect(image.big?.N).toBe('12345678901234567890123456789012345678');
      expect(image.blobs?.BS?.map((b) => Buffer.from(b).toString())).toEqual(['one', 'two', 'three bytes and more']);
    }
    const ttl = fast.Records![3]!;
    expect(ttl.userIdentity).toEqual({ PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' });
  });

  it('pages a closed shard like the SDK: Limit honoured, no NextShardIterator on the last page', async () => {
    const { fake, streams } = await setUp();
    const { streamArn } = fake.addTable({ tableName: 'T', stream: { shards: 0 } });
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const shardId = fake.addShard(streamArn!, { records: ids.map((id) => ({ newImage: { pk: { S: id } } })), closed: true });

    const read = async (get: (iterator: string) => Promise<GetRecordsCommandOutput>) => {
      const pages: GetRecordsCommandOutput[] = [];
      let next: string | undefined = await iteratorFor(streams, streamArn!, shardId);
      while (next) {
        const page: GetRecordsCommandOutput = await get(next);
        pages.push(page);
        next = page.NextShardIterator;
      }
      return pages;
    };
    const sdk = await read((it) => streams.send(new GetRecordsCommand({ ShardIterator: it, Limit: 2 })));
    const fast = await read((it) => getRecordsRaw(streams, { ShardIterator: it, Limit: 2 }));

    expect(fast.map((p) => p.Records?.length)).toEqual([2, 2, 1]);
    expect(fast.map((p) => 'NextShardIterator' in p)).toEqual([true, true, false]);
    expect(fast.map((p) => p.Records)).toStrictEqual(sdk.map((p) => p.Records));
  });

  it('decodes a body that arrives in many pieces, characters split between them kept whole', async () => {
    const { fake, streams } = await setUp();
    const { streamArn } = fake.addTable({ tableName: 'Wide', stream: {} });
    const shardId = fake.shardsOf(streamArn!)[0]!.shardId;
    // 3 bytes a snowman, 2 an ü: about 1 MB of body, cut by the socket wherever it falls.
    const wide = '☃ü'.repeat(70_000);
    fake.appendRecords(shardId, [1, 2, 3].map((n) => ({ newImage: { pk: { S: `k${n}` }, wide: { S: wide + n } } })));
    const iterator = await iteratorFor(streams, streamArn!, shardId);
    const fast = await getRecordsRaw(streams, { ShardIterator: iterator });
    const sdk = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
    expect(fast.Records?.map((r) => r.dynamodb?.NewImage?.wide?.S)).toEqual([wide + 1, wide + 2, wide + 3]);
    expect(fast.Records).toStrictEqual(sdk.Records);
  });

  it('leaves out a NextShardIterator sent as null, as the SDK does', () => {
    const page = decodeGetRecordsBody('{"Records":[],"NextShardIterator":null}');
    expect(page).toStrictEqual({ Records: [] });
  });

  it('finds binary however the body spells its tag, and converts times on a page without any', () => {
    // A page without binary skips the walk over its images; one whose tags are \u escapes
    // (valid JSON, though DynamoDB writes them plainly) must not.
    const escaped = decodeGetRecordsBody(
      '{"Records":[{"dynamodb":{"ApproximateCreationDateTime":1.7685e9,"NewImage":' +
      '{"b":{"\\u0042":"AAE="},"s":{"\\u0042S":["Ag=="]},"m":{"M":{"in":{"L":[{"B":"Aw=="}]}}}}}}]}',
    );
    const image = escaped.Records![0]!.dynamodb!.NewImage!;
    expect(image.b?.B).toStrictEqual(new Uint8Array([0, 1]));
    expect(image.s?.BS).toStrictEqual([new Uint8Array([2])]);
    expect(image.m?.M?.in?.L?.[0]?.B).toStrictEqual(new Uint8Array([3]));

    const plain = decodeGetRecordsBody(
      '{"Records":[{"dynamodb":{"ApproximateCreationDateTime":1768478400,"Keys":{"pk":{"S":"AB"}},' +
      '"NewImage":{"pk":{"S":"AB"},"n":{"N":"1"},"l":{"L":[{"SS":["x"]}]}}}}]}',
    );
    expect(plain.Records![0]!.dynamodb).toStrictEqual({
      ApproximateCreationDateTime: new Date(Date.UTC(2026, 0, 15, 12, 0, 0)),
      Keys: { pk: { S: 'AB' } },
      NewImage: { pk: { S: 'AB' }, n: { N: '1' }, l: { L: [{ SS: ['x'] }] } },
    });
  });
});

describe('getRecordsRaw: attribute names that are also Object.prototype names', () => {
  const ODD_ITEM =
    '{"pk":{"S":"odd"},"__proto__":{"S":"proto"},"constructor":{"N":"1"},"toString":{"S":"t"},' +
    '"hasOwnProperty":{"BOOL":true},"nested":{"M":{"__proto__":{"B":"' + base64('bytes') + '"},"valueOf":{"L":[]}}}}';

  it('keeps __proto__, constructor and toString as own properties, where the SDK loses __proto__', async () => {
    const { fake, streams } = await setUp();
    const { streamArn } = fake.addTable({ tableName: 'T', stream: { viewType: 'NEW_IMAGE' } });
    const shardId = fake.shardsOf(streamArn!)[0]!.shardId;
    fake.appendRecords(shardId, [{ eventName: 'INSERT', newImage: JSON.parse(ODD_ITEM) as WireAttributeMap }]);
    const iterator = await iteratorFor(streams, streamArn!, shardId);

    const image = (await getRecordsRaw(streams, { ShardIterator: iterator })).Records![0]!.dynamodb!.NewImage!;
    const own = (map: object, name: string) => Object.getOwnPropertyDescriptor(map, name)?.value as unknown;
    expect(Object.keys(image)).toEqual(['pk', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'nested']);
    expect(own(image, '__proto__')).toEqual({ S: 'proto' });
    expect(own(image, 'constructor')).toEqual({ N: '1' });
    expect(own(image, 'toString')).toEqual({ S: 't' });
    expect(own(image, 'hasOwnProperty')).toEqual({ BOOL: true });
    // Data, never a prototype: the image is still an ordinary object.
    expect(Object.getPrototypeOf(image)).toBe(Object.prototype);
    const nested = image.nested!.M!;
    expect(Object.keys(nested)).toEqual(['__proto__', 'valueOf']);
    const protoBytes = own(nested, '__proto__') as { B: Uint8Array };
    expect(protoBytes.B).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(protoBytes.B).toString()).toBe('bytes');
    expect(own(nested, 'valueOf')).toEqual({ L: [] });

    // Why this reader exists: the SDK's deserializer drops the value of an attribute named __proto__.
    const sdkImage = (await streams.send(new GetRecordsCommand({ ShardIterator: iterator }))).Records![0]!.dynamodb!.NewImage!;
    expect(own(sdkImage, '__proto__')).toBeUndefined();
    expect(own(sdkImage, 'constructor')).toEqual({ N: '1' });
  });
});

describe('getRecordsRaw: errors stay the SDK typed exceptions', () => {
  async function oneShard(records = 5) {
    const t = await setUp();
    const { streamArn } = t.fake.addTable({ tableName: 'T', stream: {} });
    const shardId = t.fake.shardsOf(streamArn!)[0]!.shardId;
    t.fake.appendGenerated(shardId, { count: records });
    const iterator = await iteratorFor(t.streams, streamArn!, shardId);
    return { ...t, streamArn: streamArn!, shardId, iterator };
  }

  it('an expired iterator is an ExpiredIteratorException', async () => {
    const t = await oneShard();
    t.advance(16 * 60 * 1000);
    const error = await rejectionOf(getRecordsRaw(t.streams, { ShardIterator: t.iterator }));
    expect(error).toBeInstanceOf(ExpiredIteratorException);
    expect(error.message).toMatch(/^Iterator expired/);
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it('reading trimmed records is a TrimmedDataAccessException', async () => {
    const t = await oneShard();
    t.fake.trimRecords(t.shardId, 3);
    const error = await rejectionOf(getRecordsRaw(t.streams, { ShardIterator: t.iterator }));
    expect(error).toBeInstanceOf(TrimmedDataAccessException);
    expect(error.message).toContain('beyond the trim horizon');
  });

  it('throttling is a LimitExceededException; a deleted stream a ResourceNotFoundException', async () => {
    const t = await oneShard();
    t.fake.faults.throttle(1, { actions: ['GetRecords'] });
    expect(await rejectionOf(getRecordsRaw(t.streams, { ShardIterator: t.iterator }))).toBeInstanceOf(LimitExceededException);
    t.fake.deleteStream(t.streamArn);
    expect(await rejectionOf(getRecordsRaw(t.streams, { ShardIterator: t.iterator }))).toBeInstanceOf(ResourceNotFoundException);
  });

  it('a server error is an InternalServerError, and the SDK retries it when it may', async () => {
    const t = await oneShard();
    t.fake.faults.internalErrors(1, { actions: ['GetRecords'] });
    expect(await rejectionOf(getRecordsRaw(t.streams, { ShardIterator: t.iterator }))).toBeInstanceOf(InternalServerError);

    const patient = sdkClients(t.fake.endpoint, 2);
    try {
      t.fake.faults.internalErrors(1, { actions: ['GetRecords'] });
      const page = await getRecordsRaw(patient.streams, { ShardIterator: t.iterator });
      expect(page.Records).toHaveLength(5);
      expect(t.fake.log.entries({ action: 'GetRecords' }).map((e) => e.outcome)).toEqual(['InternalServerError', 'InternalServerError', 'ok']);
    } finally {
      patient.destroy();
    }
  });

  it('stops when its abort signal has fired', async () => {
    const t = await oneShard();
    const error = await rejectionOf(getRecordsRaw(t.streams, { ShardIterator: t.iterator }, { abortSignal: AbortSignal.abort() }));
    expect(error.name).toBe('AbortError');
    expect(t.fake.log.count({ action: 'GetRecords' })).toBe(0);
  });
});

describe('getRecordsRaw: the SDK does no work on the body, and nothing else changes', () => {
  it('reads each call\'s own page on a client that caches resolved middleware', async () => {
    const { fake } = await setUp();
    const { streamArn } = fake.addTable({ tableName: 'T', stream: { shards: 0 } });
    const shardId = fake.addShard(streamArn!, { records: ['a', 'b', 'c'].map((id) => ({ newImage: { pk: { S: id } } })), closed: true });
    const caching = new DynamoDBStreamsClient({
      endpoint: fake.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'fake', secretAccessKey: 'fake' },
      cacheMiddleware: true,
    });
    try {
      const keys: (string | undefined)[] = [];
      let next: string | undefined = await iteratorFor(caching, streamArn!, shardId);
      while (next) {
        const page: GetRecordsCommandOutput = await getRecordsRaw(caching, { ShardIterator: next, Limit: 1 });
        keys.push(...(page.Records ?? []).map((r) => r.dynamodb?.Keys?.pk?.S));
        next = page.NextShardIterator;
      }
      expect(keys).toEqual(['a', 'b', 'c']);
    } finally {
      caching.destroy();
    }
  });

  it('hands the SDK deserializer an empty body, so it parses nothing', async () => {
    const { fake, streams } = await setUp();
    const { streamArn } = fake.addTable({ tableName: 'T', stream: {} });
    const shardId = fake.shardsOf(streamArn!)[0]!.shardId;
    fake.appendGenerated(shardId, { count: 20 });
    const iterator = await iteratorFor(streams, streamArn!, shardId);
    const protocol = streams.config.protocol as unknown as {
      deserializeResponse(schema: unknown, context: unknown, response: { body?: unknown }): Promise<unknown>;
      deserializer: { read(schema: unknown, data: unknown): Promise<unknown> };
    };
    const bodies: unknown[] = [];
    const original = protocol.deserializeResponse.bind(protocol);
    vi.spyOn(protocol, 'deserializeResponse').mockImplementation((schema, context, response) => {
      bodies.push(response.body);
      return original(schema, context, response);
    });
    const read = vi.spyOn(protocol.deserializer, 'read');

    const fast = await getRecordsRaw(streams, { ShardIterator: iterator });
    expect(fast.Records).toHaveLength(20);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toBeInstanceOf(Uint8Array);
    expect((bodies[0] as Uint8Array).byteLength).toBe(0);
    expect(read).not.toHaveBeenCalled();

    // The same spies see the SDK's own path do the parsing, so they would have caught it above.
    const sdk = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
    expect(sdk.Records).toHaveLength(20);
    expect(read).toHaveBeenCalledTimes(1);
    expect((bodies[1] as { byteLength?: number }).byteLength).not.toBe(0);
  });

  it('leaves other commands, and plain GetRecordsCommands, on the same client as they were', async () => {
    const { fake, streams } = await setUp();
    const { streamArn } = fake.addTable({ tableName: 'T', stream: { viewType: 'NEW_IMAGE' } });
    const shardId = fake.shardsOf(streamArn!)[0]!.shardId;
    fake.appendGenerated(shardId, { count: 3 });
    const stackBefore = streams.middlewareStack.identify();

    await getRecordsRaw(streams, { ShardIterator: await iteratorFor(streams, streamArn!, shardId) });

    expect(streams.middlewareStack.identify()).toEqual(stackBefore);
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    expect(StreamDescription?.StreamArn).toBe(streamArn);
    expect(StreamDescription?.StreamViewType).toBe('NEW_IMAGE');
    expect(StreamDescription?.Shards?.map((s) => s.ShardId)).toEqual([shardId]);
    expect(StreamDescription?.CreationRequestDateTime).toBeInstanceOf(Date);
    const iterator = await iteratorFor(streams, streamArn!, shardId);
    expect(iterator).toContain(streamArn);
    const plain = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
    expect(plain.Records?.map((r) => r.dynamodb?.Keys?.pk?.S)).toEqual(['item-0', 'item-1', 'item-2']);
    expect(typeof plain.NextShardIterator).toBe('string');
  });
});
