import type { AttributeValue } from '@aws-sdk/client-dynamodb-streams';
import { base64ToBytes, bytesToBase64 } from '../util/base64.js';
import type { AttributeMap, EventName, StreamRecord, StreamViewType } from './record.js';

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

export function attributeToJson(value: AttributeValue): JsonAttributeValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.B !== undefined) return { B: bytesToBase64(value.B) };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: true };
  if (value.SS !== undefined) return { SS: [...value.SS] };
  if (value.NS !== undefined) return { NS: [...value.NS] };
  if (value.BS !== undefined) return { BS: value.BS.map(bytesToBase64) };
  if (value.M !== undefined) return { M: mapToJson(value.M) };
  if (value.L !== undefined) return { L: value.L.map(attributeToJson) };
  throw new Error(`unsupported attribute value: ${Object.keys(value).join(',')}`);
}

export function mapToJson(map: AttributeMap): JsonAttributeMap {
  const out: JsonAttributeMap = {};
  for (const [name, value] of Object.entries(map)) out[name] = attributeToJson(value);
  return out;
}

export function attributeFromJson(value: JsonAttributeValue): AttributeValue {
  if ('S' in value) return { S: value.S };
  if ('N' in value) return { N: value.N };
  if ('B' in value) return { B: base64ToBytes(value.B) };
  if ('BOOL' in value) return { BOOL: value.BOOL };
  if ('NULL' in value) return { NULL: true };
  if ('SS' in value) return { SS: [...value.SS] };
  if ('NS' in value) return { NS: [...value.NS] };
  if ('BS' in value) return { BS: value.BS.map(base64ToBytes) };
  if ('M' in value) return { M: mapFromJson(value.M) };
  if ('L' in value) return { L: value.L.map(attributeFromJson) };
  throw new Error(`unsupported attribute value: ${Object.keys(value).join(',')}`);
}

export function mapFromJson(map: JsonAttributeMap): AttributeMap {
  const out: AttributeMap = {};
  for (const [name, value] of Object.entries(map)) out[name] = attributeFromJson(value);
  return out;
}

/** The record as a Lambda function receives it in `event.Records[]`. */
export function toLambdaRecord(record: StreamRecord): LambdaStreamRecord {
  const dynamodb: LambdaStreamRecord['dynamodb'] = {
    ApproximateCreationDateTime: Math.floor(record.time.getTime() / 1000),
    Keys: mapToJson(record.keys),
    ...(record.newImage ? { NewImage: mapToJson(record.newImage) } : {}),
    ...(record.oldImage ? { OldImage: mapToJson(record.oldImage) } : {}),
    SequenceNumber: record.sequenceNumber,
    SizeBytes: record.sizeBytes,
    ...(record.streamViewType ? { StreamViewType: record.streamViewType } : {}),
  };
  return {
    eventID: record.eventId,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion,
    dynamodb,
    eventSourceARN: record.streamArn,
    ...(record.userIdentity ? { userIdentity: { ...record.userIdentity } } : {}),
  };
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
