import { tableArn } from './ids.js';
import { decodeIterator, encodeIterator } from './iterators.js';
import type { Faults } from './faults.js';
import type { CallLogEntry } from './call-log.js';
import { renderRecord } from './records.js';
import type { Shard } from './shard.js';
import type { StreamState, StreamsState } from './state.js';
import { WireError, invalid, notFound } from './wire-error.js';

export interface HandlerResult {
  body: string;
  /** Facts for the call log. */
  note?: Partial<CallLogEntry>;
}

export interface HandlerContext {
  state: StreamsState;
  faults: Faults;
}

type Params = Record<string, unknown>;

// GetRecords answers at most 1 MB, whatever the Limit.
const MAX_PAGE_BYTES = 1024 * 1024;

export const STREAMS_ACTIONS: Record<string, (p: Params, c: HandlerContext) => HandlerResult> = {
  ListStreams: listStreams,
  DescribeStream: describeStream,
  GetShardIterator: getShardIterator,
  GetRecords: getRecords,
};

export const DYNAMODB_ACTIONS: Record<string, (p: Params, c: HandlerContext) => HandlerResult> = {
  DescribeTable: describeTable,
  CreateTable: createTable,
  Scan: scan,
};

/** Items per Scan page when the caller sets no Limit (the service stops at 1 MB instead). */
const SCAN_PAGE = 100;

/**
 * A parallel Scan's page: segment `Segment` of `TotalSegments` holds every TotalSegments-th item,
 * read `Limit` at a time after `ExclusiveStartKey`; one read capacity unit per two items.
 */
function scan(params: Params, { state }: HandlerContext): HandlerResult {
  const table = liveTable(state, requiredString(params, 'TableName'));
  const total = typeof params.TotalSegments === 'number' ? params.TotalSegments : 1;
  const segment = typeof params.Segment === 'number' ? params.Segment : 0;
  if (segment < 0 || segment >= total) throw invalid(`Segment ${segment} is not less than TotalSegments ${total}`);
  const limit = typeof params.Limit === 'number' ? params.Limit : SCAN_PAGE;
  const keyOf = (item: Params): string => JSON.stringify(table.keySchema.map((k) => item[k.AttributeName]));
  const own = table.items.filter((_, i) => i % total === segment);
  const start = params.ExclusiveStartKey as Params | undefined;
  const from = start ? own.findIndex((item) => keyOf(item) === keyOf(start)) + 1 : 0;
  if (start && from === 0) throw invalid('The provided starting key is invalid');
  const items = own.slice(from, from + limit);
  const last = items.at(-1);
  const out: Params = {
    Items: items,
    Count: items.length,
    ScannedCount: items.length,
    ConsumedCapacity: { TableName: table.name, CapacityUnits: items.length / 2 },
    ...(from + limit < own.length && last
      ? { LastEvaluatedKey: Object.fromEntries(table.keySchema.map((k) => [k.AttributeName, last[k.AttributeName]])) }
      : {}),
  };
  return { body: JSON.stringify(out) };
}

/** The fake's caller may read streams but not create tables, as a read-only IAM role. */
function createTable(params: Params, { state }: HandlerContext): HandlerResult {
  const name = requiredString(params, 'TableName');
  throw new WireError(
    'AccessDeniedException',
    `User: arn:aws:iam::${state.accountId}:user/reader is not authorized to perform: dynamodb:CreateTable on resource: ${tableArn(state.region, state.accountId, name)}`,
  );
}

function listStreams(params: Params, { state }: HandlerContext): HandlerResult {
  const limit = limitParam(params.Limit, 100);
  const tableName = optionalString(params, 'TableName');
  if (tableName !== undefined) liveTable(state, tableName);
  // Deleted streams stay in the candidates so a page can start after one that vanished.
  const candidates = state.streams.filter((s) => tableName === undefined || s.tableName === tableName);
  let from = 0;
  const start = optionalString(params, 'ExclusiveStartStreamArn');
  if (start !== undefined) {
    const at = candidates.findIndex((s) => s.arn === start);
    if (at < 0) throw invalid(`ExclusiveStartStreamArn ${start} is not a stream of this account`);
    from = at + 1;
  }
  const page = candidates.slice(from).filter((s) => !s.deleted).slice(0, limit);
  const out: Params = {
    Streams: page.map((s) => ({ StreamArn: s.arn, TableName: s.tableName, StreamLabel: s.label })),
  };
  // Like the service: a full page names its last stream even when nothing follows.
  if (page.length === limit) out.LastEvaluatedStreamArn = page.at(-1)!.arn;
  return { body: JSON.stringify(out) };
}

function describeStream(params: Params, { state, faults }: HandlerContext): HandlerResult {
  const stream = liveStream(state, requiredString(params, 'StreamArn'));
  const limit = limitParam(params.Limit, 100);
  if (params.ShardFilter !== undefined && faults.shardFilter === 'rejected') {
    throw invalid('1 validation error detected: ShardFilter is not a recognized parameter');
  }
  state.settleRaces(stream);
  const filter = faults.shardFilter === 'ignored' ? undefined : params.ShardFilter as { Type?: string; ShardId?: string } | undefined;
  if (filter && (filter.Type !== 'CHILD_SHARDS' || typeof filter.ShardId !== 'string')) {
    throw invalid('ShardFilter needs Type CHILD_SHARDS and a ShardId');
  }
  let from = 0;
  const start = optionalString(params, 'ExclusiveStartShardId');
  if (start !== undefined) {
    const at = stream.listing.findIndex((s) => s.shardId === start);
    if (at < 0) throw invalid(`ExclusiveStartShardId ${start} is not a shard of this stream`);
    from = at + 1;
  }
  const page = stream.listing
    .slice(from)
    .filter((s) => !s.dropped && s.hiddenForDescribes === 0 && (!filter || s.parentShardId === filter.ShardId))
    .slice(0, limit);
  const table = state.table(stream.tableName);
  const description: Params = {
    StreamArn: stream.arn,
    StreamLabel: stream.label,
    StreamStatus: stream.status,
    StreamViewType: stream.viewType,
    CreationRequestDateTime: stream.createdAt / 1000,
    TableName: stream.tableName,
    KeySchema: table.keySchema,
    Shards: page.map(describeShard),
  };
  if (page.length === limit) description.LastEvaluatedShardId = page.at(-1)!.shardId;
  const body = JSON.stringify({ StreamDescription: description });
  state.noteDescribed(stream);
  return { body, note: { streamArn: stream.arn } };
}

function describeShard(shard: Shard): Params {
  const range: Params = { StartingSequenceNumber: shard.base.toString() };
  const ending = shard.endingSequenceNumber();
  if (ending !== undefined) range.EndingSequenceNumber = ending.toString();
  const out: Params = { ShardId: shard.shardId, SequenceNumberRange: range };
  if (shard.parentShardId) out.ParentShardId = shard.parentShardId;
  return out;
}

function getShardIterator(params: Params, { state }: HandlerContext): HandlerResult {
  const stream = liveStream(state, requiredString(params, 'StreamArn'));
  const shardId = requiredString(params, 'ShardId');
  const shard = stream.listing.find((s) => s.shardId === shardId && !s.dropped);
  if (!shard) throw notFound(`Requested resource not found: Shard does not exist`);
  const type = requiredString(params, 'ShardIteratorType');
  let position: number;
  switch (type) {
    case 'TRIM_HORIZON':
      position = shard.trimIndex;
      break;
    case 'LATEST':
      position = shard.count;
      break;
    case 'AT_SEQUENCE_NUMBER':
    case 'AFTER_SEQUENCE_NUMBER':
      position = positionOf(shard, params.SequenceNumber, type === 'AFTER_SEQUENCE_NUMBER');
      break;
    default:
      throw invalid(
        `1 validation error detected: Value '${type}' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_SEQUENCE_NUMBER, TRIM_HORIZON]`,
      );
  }
  const takenEmpty = shard.count === shard.trimIndex;
  const iterator = encodeIterator({ streamArn: stream.arn, shardId, position, issuedAt: state.now(), ...(takenEmpty ? { takenEmpty } : {}) });
  return { body: JSON.stringify({ ShardIterator: iterator }), note: { streamArn: stream.arn, shardId } };
}

function positionOf(shard: Shard, value: unknown, after: boolean): number {
  if (typeof value !== 'string' || !/^\d{1,40}$/.test(value)) {
    throw invalid('SequenceNumber is required for AT_SEQUENCE_NUMBER and AFTER_SEQUENCE_NUMBER (a string of digits)');
  }
  const sequenceNumber = BigInt(value);
  const ending = shard.endingSequenceNumber();
  const index = shard.indexOf(sequenceNumber, after);
  if (sequenceNumber < shard.base || (ending !== undefined && sequenceNumber > ending) || index > shard.count) {
    throw invalid(`Invalid SequenceNumber ${value} for shard ${shard.shardId}`);
  }
  if (index < shard.trimIndex) throw trimmed(shard);
  return index;
}

function getRecords(params: Params, { state, faults }: HandlerContext): HandlerResult {
  const token = requiredString(params, 'ShardIterator');
  const position = decodeIterator(token);
  if (!position) throw invalid('Invalid ShardIterator');
  const limit = Math.min(limitParam(params.Limit, 1000), faults.recordsPerPage ?? Infinity);
  const stream = liveStream(state, position.streamArn);
  const shard = stream.listing.find((s) => s.shardId === position.shardId);
  if (!shard) throw notFound('Requested resource not found: Shard does not exist');
  const now = state.now();
  if (now - position.issuedAt > faults.iteratorLifetimeMs) {
    throw new WireError(
      'ExpiredIteratorException',
      `Iterator expired. The iterator was created at time ${new Date(position.issuedAt).toUTCString()} while right now it is ${new Date(now).toUTCString()} which is further in the future than the tolerated delay of ${faults.iteratorLifetimeMs} milliseconds.`,
    );
  }
  if (shard.dropped || position.position < shard.trimIndex) throw trimmed(shard);
  if (position.takenEmpty && faults.emptyShardIteratorsTrimmed && shard.count > position.position) throw trimmed(shard);
  const note: Partial<CallLogEntry> = { streamArn: stream.arn, shardId: shard.shardId };
  const atClosedEnd = shard.closed && position.position >= shard.count;
  if (!atClosedEnd && faults.takeEmptyPage()) {
    const next = encodeIterator({ ...position, issuedAt: now });
    return { body: JSON.stringify({ Records: [], NextShardIterator: next }), note: { ...note, records: 0, shardEnd: false } };
  }
  const ctx = { region: state.region, viewType: stream.viewType, shardId: shard.shardId };
  const parts: string[] = [];
  let bytes = 0;
  let index = position.position;
  while (index < shard.count && parts.length < limit) {
    const { record, eventId } = shard.recordAt(index);
    const json = renderRecord(ctx, shard.sequenceAt(index), eventId, record);
    if (parts.length > 0 && bytes + json.length > MAX_PAGE_BYTES) break;
    parts.push(json);
    bytes += json.length + 1;
    index += 1;
  }
  // A closed shard read to its end gets no next iterator, even on a page that carries records.
  const end = shard.closed && index >= shard.count;
  let body = `{"Records":[${parts.join(',')}]`;
  // An iterator past records it returned was no longer taken on an empty shard.
  const { takenEmpty: _, ...rest } = position;
  const next = { ...rest, position: index, issuedAt: now, ...(position.takenEmpty && parts.length === 0 ? { takenEmpty: true } : {}) };
  if (!end) body += `,"NextShardIterator":${JSON.stringify(encodeIterator(next))}`;
  body += '}';
  return { body, note: { ...note, records: parts.length, shardEnd: end } };
}

function describeTable(params: Params, { state }: HandlerContext): HandlerResult {
  const table = liveTable(state, requiredString(params, 'TableName'));
  const out: Params = {
    AttributeDefinitions: table.keySchema.map((k) => ({
      AttributeName: k.AttributeName,
      AttributeType: table.attributeTypes[k.AttributeName] ?? 'S',
    })),
    TableName: table.name,
    KeySchema: table.keySchema,
    TableStatus: 'ACTIVE',
    CreationDateTime: table.createdAt / 1000,
    TableSizeBytes: 0,
    ItemCount: 0,
    TableArn: tableArn(state.region, state.accountId, table.name),
    BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
  };
  const latest = table.latestStreamArn ? state.stream(table.latestStreamArn) : undefined;
  if (latest && !latest.deleted) {
    out.StreamSpecification = latest.status === 'DISABLED'
      ? { StreamEnabled: false }
      : { StreamEnabled: true, StreamViewType: latest.viewType };
    out.LatestStreamArn = latest.arn;
    out.LatestStreamLabel = latest.label;
  }
  return { body: JSON.stringify({ Table: out }) };
}

function liveStream(state: StreamsState, arn: string): StreamState {
  const stream = state.streams.find((s) => s.arn === arn);
  if (!stream || stream.deleted) throw notFound(`Requested resource not found: Stream: ${arn} not found`);
  return stream;
}

function liveTable(state: StreamsState, name: string) {
  const table = state.tables.get(name);
  if (!table || table.deleted) throw notFound(`Requested resource not found: Table: ${name} not found`);
  return table;
}

function trimmed(shard: Shard): WireError {
  return new WireError(
    'TrimmedDataAccessException',
    `The requested position in shard ${shard.shardId} is beyond the trim horizon: its records have been trimmed.`,
  );
}

function limitParam(value: unknown, max: number): number {
  if (value === undefined || value === null) return max;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw invalid(
      `1 validation error detected: Value '${String(value)}' at 'limit' failed to satisfy constraint: Member must have value ${value as number < 1 ? 'greater than or equal to 1' : `less than or equal to ${max}`}`,
    );
  }
  return value;
}

function requiredString(params: Params, name: string): string {
  const value = params[name];
  if (typeof value !== 'string' || value === '') {
    throw invalid(`1 validation error detected: Value null at '${name[0]!.toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

function optionalString(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`${name} must be a string`);
  return value;
}
