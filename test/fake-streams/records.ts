/** Record inputs accepted by the fake, and their rendering into the GetRecords wire form. */

export interface WireAttributeValue {
  S?: string;
  N?: string;
  /** Base64 string (wire form) or bytes (SDK form); both go out as base64. */
  B?: string | Uint8Array;
  SS?: string[];
  NS?: string[];
  BS?: (string | Uint8Array)[];
  M?: WireAttributeMap;
  L?: WireAttributeValue[];
  NULL?: boolean;
  BOOL?: boolean;
}
export type WireAttributeMap = Record<string, WireAttributeValue>;

export type EventName = 'INSERT' | 'MODIFY' | 'REMOVE';
export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';

/** One change, as a test describes it. The stream's view type decides which images go out. */
export interface RecordInput {
  /** Default: MODIFY with both images, INSERT with only a new one, REMOVE with only an old one. */
  eventName?: EventName;
  /** Default: the table's key attributes taken from the new (else old) image. */
  keys?: WireAttributeMap;
  newImage?: WireAttributeMap;
  oldImage?: WireAttributeMap;
  /** Epoch ms or Date; default the fake's clock at append time. Sent as whole epoch seconds. */
  time?: number | Date;
  /** Lambda-style; sent as the API's `{PrincipalId, Type}`. TTL deletes use Service/dynamodb.amazonaws.com. */
  userIdentity?: { type: string; principalId: string };
  eventId?: string;
  /** Default: an estimate of the item sizes the way DynamoDB counts them. */
  sizeBytes?: number;
}

export type RecordGenerator = (index: number) => RecordInput;

export interface StoredRecord {
  eventName: EventName;
  keys: WireAttributeMap;
  newImage?: WireAttributeMap;
  oldImage?: WireAttributeMap;
  timeMs: number;
  userIdentity?: { type: string; principalId: string };
  eventId?: string;
  sizeBytes: number;
}

export function normalizeRecord(input: RecordInput, keyNames: string[], nowMs: number): StoredRecord {
  const keys = input.keys ?? pickKeys(input.newImage ?? input.oldImage, keyNames);
  if (!keys || Object.keys(keys).length === 0) {
    throw new Error(`record needs keys, or an image holding the key attributes (${keyNames.join(', ')})`);
  }
  const eventName = input.eventName ?? (input.newImage ? (input.oldImage ? 'MODIFY' : 'INSERT') : 'REMOVE');
  const time = input.time instanceof Date ? input.time.getTime() : input.time ?? nowMs;
  const scan = { bytes: false };
  const size = mapSize(keys, scan) + mapSize(input.newImage, scan) + mapSize(input.oldImage, scan);
  // Bytes become base64 once here, so rendering each page is a plain JSON.stringify.
  const wire = (map: WireAttributeMap) => (scan.bytes ? wireMap(map) : map);
  const stored: StoredRecord = { eventName, keys: wire(keys), timeMs: time, sizeBytes: input.sizeBytes ?? size };
  if (input.newImage) stored.newImage = wire(input.newImage);
  if (input.oldImage) stored.oldImage = wire(input.oldImage);
  if (input.userIdentity) stored.userIdentity = input.userIdentity;
  if (input.eventId) stored.eventId = input.eventId;
  return stored;
}

function pickKeys(image: WireAttributeMap | undefined, keyNames: string[]): WireAttributeMap | undefined {
  if (!image) return undefined;
  const keys: WireAttributeMap = {};
  for (const name of keyNames) {
    const value = image[name];
    if (value === undefined) return undefined;
    keys[name] = value;
  }
  return keys;
}

interface Scan {
  bytes: boolean;
}

// DynamoDB's item size rule of thumb: attribute name bytes plus value bytes.
function mapSize(map: WireAttributeMap | undefined, scan: Scan): number {
  if (!map) return 0;
  let size = 0;
  for (const name in map) size += Buffer.byteLength(name) + valueSize(map[name]!, scan);
  return size;
}

function valueSize(value: WireAttributeValue, scan: Scan): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.length / 2) + 1;
  if (value.B !== undefined) return binarySize(value.B, scan);
  if (value.SS) return value.SS.reduce((n, s) => n + Buffer.byteLength(s), 0);
  if (value.NS) return value.NS.reduce((n, s) => n + Math.ceil(s.length / 2) + 1, 0);
  if (value.BS) return value.BS.reduce((n, b) => n + binarySize(b, scan), 0);
  if (value.M) return 3 + mapSize(value.M, scan);
  if (value.L) return 3 + value.L.reduce((n, v) => n + 1 + valueSize(v, scan), 0);
  return 1;
}

function binarySize(value: string | Uint8Array, scan: Scan): number {
  if (typeof value === 'string') return Buffer.from(value, 'base64').length;
  scan.bytes = true;
  return value.byteLength;
}

const base64 = (b: string | Uint8Array) =>
  typeof b === 'string' ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');

function wireMap(map: WireAttributeMap): WireAttributeMap {
  const out: WireAttributeMap = {};
  for (const name in map) out[name] = wireValue(map[name]!);
  return out;
}

function wireValue(value: WireAttributeValue): WireAttributeValue {
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.BS) return { BS: value.BS.map(base64) };
  if (value.M) return { M: wireMap(value.M) };
  if (value.L) return { L: value.L.map(wireValue) };
  return value;
}

export interface RenderContext {
  region: string;
  viewType: StreamViewType;
  shardId: string;
}

/** The record exactly as GetRecords puts it on the wire, as a JSON text. */
export function renderRecord(ctx: RenderContext, sequenceNumber: bigint, eventId: string, record: StoredRecord): string {
  const dynamodb: Record<string, unknown> = {
    ApproximateCreationDateTime: Math.floor(record.timeMs / 1000),
    Keys: record.keys,
  };
  if (record.newImage && (ctx.viewType === 'NEW_IMAGE' || ctx.viewType === 'NEW_AND_OLD_IMAGES')) {
    dynamodb.NewImage = record.newImage;
  }
  if (record.oldImage && (ctx.viewType === 'OLD_IMAGE' || ctx.viewType === 'NEW_AND_OLD_IMAGES')) {
    dynamodb.OldImage = record.oldImage;
  }
  dynamodb.SequenceNumber = sequenceNumber.toString();
  dynamodb.SizeBytes = record.sizeBytes;
  dynamodb.StreamViewType = ctx.viewType;
  const wire: Record<string, unknown> = {
    eventID: record.eventId ?? eventId,
    eventName: record.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: ctx.region,
    dynamodb,
  };
  if (record.userIdentity) {
    wire.userIdentity = { PrincipalId: record.userIdentity.principalId, Type: record.userIdentity.type };
  }
  return JSON.stringify(wire);
}

export interface SyntheticOptions {
  /** Distinct items; index i changes item i % keySpace. Default 1000. */
  keySpace?: number;
  /** Size of a string attribute in each image. Default 100. */
  payloadBytes?: number;
  /** Name of the partition key attribute. Default "pk". */
  keyName?: string;
}

/**
 * A deterministic change log by index: the first write of each item is an INSERT, later ones
 * MODIFY with the previous version as the old image. Cheap enough to produce millions on demand.
 */
export function syntheticRecords(options: SyntheticOptions = {}): RecordGenerator {
  const keySpace = options.keySpace ?? 1000;
  const keyName = options.keyName ?? 'pk';
  const payload = { S: 'x'.repeat(options.payloadBytes ?? 100) };
  return (index) => {
    const version = Math.floor(index / keySpace);
    const key = { S: `item-${index % keySpace}` };
    const newImage = { [keyName]: key, version: { N: String(version) }, payload };
    if (version === 0) return { eventName: 'INSERT', keys: { [keyName]: key }, newImage };
    return {
      eventName: 'MODIFY',
      keys: { [keyName]: key },
      oldImage: { [keyName]: key, version: { N: String(version - 1) }, payload },
      newImage,
    };
  };
}
