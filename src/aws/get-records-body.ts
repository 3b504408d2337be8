import type { GetRecordsCommandOutput, _Record } from '@aws-sdk/client-dynamodb-streams';

/** What a GetRecords answer carries, in the shapes the SDK's GetRecordsCommand returns. */
export type GetRecordsPage = Pick<GetRecordsCommandOutput, 'Records' | 'NextShardIterator'>;

type WireObject = Record<string, unknown>;

/**
 * A GetRecords response body (JSON 1.0 wire form) in the SDK's shapes, parsed once.
 *
 * `JSON.parse` already gives nearly everything the SDK would: numbers stay the exact strings
 * DynamoDB sent, and every attribute name is an own property, `__proto__` included (the SDK's
 * generic deserializer loses that one). Only two things differ on the wire and are converted in
 * place: `ApproximateCreationDateTime` (epoch seconds there, a Date in the SDK) and binary `B`/`BS`
 * (base64 there, Uint8Array in the SDK). Nothing is ever assigned under an attribute name, so no
 * name can reach a prototype.
 *
 * Where the SDK would reshape what it does not know, this keeps the wire form: a value of an
 * unknown type stays `{TYPE: value}` (the SDK makes it `{$unknown: [TYPE, value]}`), and record
 * members outside the API model are kept.
 */
export function decodeGetRecordsBody(text: string): GetRecordsPage {
  const body: unknown = JSON.parse(text);
  if (!isObject(body)) throw new TypeError(`GetRecords answered with a body that is not a JSON object: ${text.slice(0, 100)}`);
  const page: GetRecordsPage = {};
  // Like the SDK: a member sent as null is left out, so a closed shard's last page has no
  // NextShardIterator whether the service omitted it or sent null.
  if (Array.isArray(body.Records)) {
    const binary = mayHoldBinary(text);
    for (const record of body.Records) decodeRecord(record, binary);
    page.Records = body.Records as _Record[];
  }
  if (body.NextShardIterator !== undefined && body.NextShardIterator !== null) {
    page.NextShardIterator = body.NextShardIterator as string;
  }
  return page;
}

/**
 * False when no value in the body can be binary: neither tag (`"B"`, `"BS"`) appears in the text,
 * nor any `\u` escape that could spell one. Most pages hold no binary at all, and then the walk
 * over every image, which only looks for binary, is skipped. The searches start at a rare
 * character (`B`, a backslash), which makes them about 30 times faster than a search for `"B"`;
 * a false alarm (a name or string ending in B) only costs the walk.
 */
function mayHoldBinary(text: string): boolean {
  return text.includes('B"') || text.includes('BS"') || text.includes('\\u');
}

function decodeRecord(record: unknown, binary: boolean): void {
  if (!isObject(record)) return;
  const stream = record.dynamodb;
  if (!isObject(stream)) return;
  const time = stream.ApproximateCreationDateTime;
  if (time !== undefined && time !== null) stream.ApproximateCreationDateTime = dateFromEpochSeconds(time);
  if (!binary) return;
  decodeMap(stream.Keys);
  decodeMap(stream.NewImage);
  decodeMap(stream.OldImage);
}

/** The SDK's reading of an epoch-seconds timestamp: milliseconds rounded, numeric strings too. */
function dateFromEpochSeconds(value: unknown): Date {
  const seconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
    throw new TypeError(`ApproximateCreationDateTime is not a number of seconds: ${JSON.stringify(value)}`);
  }
  return new Date(Math.round(seconds * 1000));
}

function decodeMap(map: unknown): void {
  if (!isObject(map)) return;
  // Own keys only, read but never written: `__proto__`, `constructor` and the like are data here.
  for (const name of Object.keys(map)) decodeValue(map[name]);
}

function decodeValue(value: unknown): void {
  if (!isObject(value)) return;
  // Strings and numbers are most of any item and need nothing: test them first.
  if (value.S !== undefined || value.N !== undefined) return;
  if (value.M !== undefined) {
    decodeMap(value.M);
  } else if (Array.isArray(value.L)) {
    for (const member of value.L) decodeValue(member);
  } else if (typeof value.B === 'string') {
    value.B = bytesFromBase64(value.B);
  } else if (Array.isArray(value.BS)) {
    value.BS = value.BS.map((member) => (typeof member === 'string' ? bytesFromBase64(member) : member));
  }
}

/** The same view the SDK's own base64 decoder returns: a plain Uint8Array over Node's bytes. */
function bytesFromBase64(text: string): Uint8Array {
  const buffer = Buffer.from(text, 'base64');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function isObject(value: unknown): value is WireObject {
  return typeof value === 'object' && value !== null;
}
