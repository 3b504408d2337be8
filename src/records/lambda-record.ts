import type { AttributeValue } from '@aws-sdk/client-dynamodb-streams';
import { base64ToBytes, bytesToBase64 } from '../util/base64.js';
import type { AttributeMap, EventName, StreamRecord, StreamViewType } from './record.js';
import { attributeKind, mapOf, newAttributeMap, type UnknownTally } from './attribute-kind.js';

/** An AttributeValue as it travels in JSON (Lambda events, `--raw` lines): binary is base64. */
export type JsonAttributeValue =
  | { S: string } | { N: string } | { B: string } | { BOOL: boolean } | { NULL: true }
  | { SS: string[] } | { NS: string[] } | { BS: string[] }
  | { M: Record<string, JsonAttributeValue> } | { L: JsonAttributeValue[] };

export type JsonAttributeMap = Record<string, JsonAttributeValue>;

/** One record of a DynamoDB Streams Lambda event, exactly as Lambda delivers it. */
export interface LambdaStreamRecord {
  eventID: string;
  eventName: EventName;
  eventVersion: string;
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  dynamodb: {
    ApproximateCreationDateTime: number;
    Keys: JsonAttributeMap;
    NewImage?: JsonAttributeMap;
    OldImage?: JsonAttributeMap;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType?: StreamViewType;
  };
  eventSourceARN: string;
  userIdentity?: { type: string; principalId: string };
}

/**
 * An attribute value in Lambda's JSON form. An untyped `{}` (DynamoDB Local's empty map) becomes
 * `{"M":{}}`, what AWS sends for the same item. A value of a type this version does not know is
 * passed on as it came (counted in `unknown`): a handler sees what the stream sent.
 */
export function attributeToJson(value: AttributeValue, unknown?: UnknownTally): JsonAttributeValue {
  switch (attributeKind(value)) {
    case 'S': return { S: value.S! };
    case 'N': return { N: value.N! };
    case 'B': return { B: bytesToBase64(value.B!) };
    case 'BOOL': return { BOOL: value.BOOL! };
    case 'NULL': return { NULL: true };
    case 'SS': return { SS: [...value.SS!] };
    case 'NS': return { NS: [...value.NS!] };
    case 'BS': return { BS: value.BS!.map(bytesToBase64) };
    case 'M': return { M: mapToJson(mapOf(value), unknown) };
    case 'L': return { L: value.L!.map((member) => attributeToJson(member, unknown)) };
    case 'unknown':
      if (unknown) unknown.values++;
      return value as JsonAttributeValue;
  }
}

/** Names are data: the map has no prototype, so `__proto__` is an attribute like any other. */
export function mapToJson(map: AttributeMap, unknown?: UnknownTally): JsonAttributeMap {
  const out = newAttributeMap<JsonAttributeValue>();
  for (const name of Object.keys(map)) out[name] = attributeToJson(map[name]!, unknown);
  return out;
}

/** Back from Lambda's JSON form; `{}` is an empty map, and an unknown value stays as it came. */
export function attributeFromJson(value: JsonAttributeValue): AttributeValue {
  const json = value as Partial<Record<string, unknown>>;
  if (typeof json.S === 'string') return { S: json.S };
  if (typeof json.N === 'string') return { N: json.N };
  if (typeof json.B === 'string') return { B: base64ToBytes(json.B) };
  if (typeof json.BOOL === 'boolean') return { BOOL: json.BOOL };
  if (json.NULL === true) return { NULL: true };
  if (isStrings(json.SS)) return { SS: [...json.SS] };
  if (isStrings(json.NS)) return { NS: [...json.NS] };
  if (isStrings(json.BS)) return { BS: json.BS.map(base64ToBytes) };
  if (isMap(json.M)) return { M: mapFromJson(json.M as JsonAttributeMap) };
  if (Array.isArray(json.L)) return { L: (json.L as JsonAttributeValue[]).map(attributeFromJson) };
  if (isMap(json) && Object.keys(json).length === 0) return { M: newAttributeMap() };
  return value as AttributeValue;
}

export function mapFromJson(map: JsonAttributeMap): AttributeMap {
  const out = newAttributeMap<AttributeValue>();
  for (const name of Object.keys(map)) out[name] = attributeFromJson(map[name]!);
  return out;
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((member) => typeof member === 'string');
}

function isMap(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * True when `mapToJson` would give back the map as it is: every value has exactly its one known
 * tag with the payload JSON carries (no binary bytes, no untyped `{}`, nothing unknown). What a
 * GetRecords body without binary parses into always is; then the map can go into the Lambda
 * record as it is, without a copy of every value. Only reads: names are data here too.
 */
function isJsonForm(map: AttributeMap): boolean {
  for (const name in map) if (!isJsonValue(map[name])) return false;
  return true;
}

function isJsonValue(value: AttributeValue | undefined): boolean {
  if (typeof value !== 'object' || value === null) return false;
  let tags = 0;
  for (const _ in value) if (++tags > 1) return false;
  // Strings and numbers are most of any item: test them first.
  if (value.S !== undefined) return typeof value.S === 'string';
  if (value.N !== undefined) return typeof value.N === 'string';
  if (value.M !== undefined) return typeof value.M === 'object' && value.M !== null && !Array.isArray(value.M) && isJsonForm(value.M);
  if (value.L !== undefined) return Array.isArray(value.L) && value.L.every(isJsonValue);
  if (value.BOOL !== undefined) return typeof value.BOOL === 'boolean';
  if (value.NULL !== undefined) return value.NULL === true;
  if (value.SS !== undefined) return isStrings(value.SS);
  if (value.NS !== undefined) return isStrings(value.NS);
  return false;
}

function imageToJson(map: AttributeMap, unknown: UnknownTally | undefined): JsonAttributeMap {
  return isJsonForm(map) ? map as JsonAttributeMap : mapToJson(map, unknown);
}

/**
 * The record as a Lambda function receives it in `event.Records[]`; `unknown` counts values passed
 * on as they came. Images already in JSON form are shared with `record`, not copied: read only.
 */
export function toLambdaRecord(record: StreamRecord, unknown?: UnknownTally): LambdaStreamRecord {
  // Built member by member in Lambda's order, without throwaway spreads: this runs for every record replayed.
  const dynamodb: LambdaStreamRecord['dynamodb'] = {
    ApproximateCreationDateTime: Math.floor(record.time.getTime() / 1000),
    Keys: imageToJson(record.keys, unknown),
  } as LambdaStreamRecord['dynamodb'];
  if (record.newImage) dynamodb.NewImage = imageToJson(record.newImage, unknown);
  if (record.oldImage) dynamodb.OldImage = imageToJson(record.oldImage, unknown);
  dynamodb.SequenceNumber = record.sequenceNumber;
  dynamodb.SizeBytes = record.sizeBytes;
  if (record.streamViewType) dynamodb.StreamViewType = record.streamViewType;
  const lambda: LambdaStreamRecord = {
    eventID: record.eventId,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion,
    dynamodb,
    eventSourceARN: record.streamArn,
  };
  if (record.userIdentity) lambda.userIdentity = { ...record.userIdentity };
  return lambda;
}

/** Back from a Lambda record (a `--raw` line or a failure-file record) to the internal record. */
export function fromLambdaRecord(raw: LambdaStreamRecord, shardId = ''): StreamRecord {
  const arn = raw.eventSourceARN;
  const table = /:table\/([^/]+)\//.exec(arn)?.[1] ?? '';
  return {
    streamArn: arn,
    table,
    shardId,
    sequenceNumber: raw.dynamodb.SequenceNumber,
    eventId: raw.eventID,
    eventName: raw.eventName,
    eventVersion: raw.eventVersion,
    awsRegion: raw.awsRegion,
    time: new Date(raw.dynamodb.ApproximateCreationDateTime * 1000),
    keys: mapFromJson(raw.dynamodb.Keys),
    ...(raw.dynamodb.OldImage ? { oldImage: mapFromJson(raw.dynamodb.OldImage) } : {}),
    ...(raw.dynamodb.NewImage ? { newImage: mapFromJson(raw.dynamodb.NewImage) } : {}),
    ...(raw.userIdentity ? { userIdentity: { ...raw.userIdentity } } : {}),
    sizeBytes: raw.dynamodb.SizeBytes,
    ...(raw.dynamodb.StreamViewType ? { streamViewType: raw.dynamodb.StreamViewType } : {}),
  };
}
