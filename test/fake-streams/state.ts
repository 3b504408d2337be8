import {
  formatShardId,
  formatStreamLabel,
  hashString,
  randomHex,
  seededRandom,
  shardSequenceBase,
  streamArn as formatStreamArn,
} from './ids.js';
import { normalizeRecord, renderRecord, syntheticRecords, type RecordInput, type StreamViewType, type WireAttributeMap } from './records.js';
import { Shard, type LazyRecords } from './shard.js';

export type StreamStatus = 'ENABLING' | 'ENABLED' | 'DISABLING' | 'DISABLED';
export interface KeySchemaElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

export interface StateOptions {
  region?: string;
  accountId?: string;
  /** Seed for shard ids and shuffles; the same seed and calls give the same ids. */
  seed?: number;
  /** The fake's clock in epoch ms (record times, iterator ages, the call log). Default Date.now. */
  now?: () => number;
}

export interface TableSpec {
  tableName: string;
  /** Default `[{AttributeName: 'pk', KeyType: 'HASH'}]`. */
  keySchema?: KeySchemaElement[];
  /** Attribute types for DescribeTable's AttributeDefinitions; default S. */
  attributeTypes?: Record<string, 'S' | 'N' | 'B'>;
  /** Omit for a table without a stream. */
  stream?: Omit<StreamSpec, 'tableName'>;
}

export interface StreamSpec {
  tableName: string;
  viewType?: StreamViewType;
  /** Open root shards to start with. Default 1. */
  shards?: number;
  status?: StreamStatus;
}

export interface ShardSpec {
  parentShardId?: string;
  records?: RecordInput[];
  lazy?: LazyRecords;
  closed?: boolean;
}

export interface ShardInfo {
  shardId: string;
  streamArn: string;
  parentShardId?: string;
  children: string[];
  closed: boolean;
  dropped: boolean;
  recordCount: number;
  trimmedCount: number;
  startingSequenceNumber: string;
  endingSequenceNumber?: string;
  /** Oldest readable record's number, if any. */
  firstSequenceNumber?: string;
  lastSequenceNumber?: string;
}

export interface TableState {
  name: string;
  keySchema: KeySchemaElement[];
  attributeTypes: Record<string, 'S' | 'N' | 'B'>;
  createdAt: number;
  deleted: boolean;
  latestStreamArn?: string;
  /** The table's items as Scan reads them (tests push them; stream records do not change them). */
  items: WireAttributeMap[];
}

export interface StreamState {
  arn: string;
  label: string;
  tableName: string;
  viewType: StreamViewType;
  status: StreamStatus;
  createdAt: number;
  deleted: boolean;
  /** DescribeStream's order; dropped shards stay here (hidden) so paging can continue past them. */
  listing: Shard[];
  nextOrdinal: number;
}

/** The fake's world: tables, streams, shards and records, and the ways a test changes them. */
export class StreamsState {
  readonly region: string;
  readonly accountId: string;
  readonly now: () => number;
  readonly tables = new Map<string, TableState>();
  /** Every stream ever created, in creation order (ListStreams order). */
  readonly streams: StreamState[] = [];
  private readonly streamsByArn = new Map<string, StreamState>();
  private readonly shardsById = new Map<string, Shard>();
  private readonly random: () => number;
  private lastLabelMs = 0;

  constructor(options: StateOptions = {}) {
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    this.now = options.now ?? Date.now;
    this.random = seededRandom(options.seed ?? 1);
  }

  addTable(spec: TableSpec): { tableName: string; streamArn?: string } {
    const existing = this.tables.get(spec.tableName);
    if (existing && !existing.deleted) throw new Error(`table ${spec.tableName} already exists`);
    const keySchema = spec.keySchema ?? [{ AttributeName: 'pk', KeyType: 'HASH' }];
    this.tables.set(spec.tableName, {
      name: spec.tableName,
      keySchema,
      attributeTypes: spec.attributeTypes ?? {},
      createdAt: this.now(),
      deleted: false,
      items: [],
    });
    if (!spec.stream) return { tableName: spec.tableName };
    return { tableName: spec.tableName, streamArn: this.addStream({ ...spec.stream, tableName: spec.tableName }) };
  }

  /**
   * A new stream on a table (created with default keys if missing). An enabled stream already on
   * the table is disabled first, as when a stream is switched off and on again.
   */
  addStream(spec: StreamSpec): string {
    if (!this.tables.get(spec.tableName) || this.tables.get(spec.tableName)!.deleted) {
      this.addTable({ tableName: spec.tableName });
    }
    const table = this.tables.get(spec.tableName)!;
    const previous = table.latestStreamArn ? this.streamsByArn.get(table.latestStreamArn) : undefined;
    if (previous && !previous.deleted && previous.status !== 'DISABLED') this.disableStream(previous.arn);
    // Labels must differ between streams of a table even when created within one millisecond.
    const createdAt = Math.max(this.now(), this.lastLabelMs + 1);
    this.lastLabelMs = createdAt;
    const label = formatStreamLabel(createdAt);
    const stream: StreamState = {
      arn: formatStreamArn(this.region, this.accountId, spec.tableName, label),
      label,
      tableName: spec.tableName,
      viewType: spec.viewType ?? 'NEW_AND_OLD_IMAGES',
      status: spec.status ?? 'ENABLED',
      createdAt,
      deleted: false,
      listing: [],
      nextOrdinal: 0,
    };
    this.streams.push(stream);
    this.streamsByArn.set(stream.arn, stream);
    table.latestStreamArn = stream.arn;
    for (let i = 0; i < (spec.shards ?? 1); i++) this.addShard(stream.arn);
    return stream.arn;
  }

  /** Stream switched off: open shards close; it stays listed and readable, status DISABLED. */
  disableStream(streamArn: string): void {
    const stream = this.stream(streamArn);
    stream.status = 'DISABLED';
    for (const shard of stream.listing) shard.closed = true;
  }

  setStreamStatus(streamArn: string, status: StreamStatus): void {
    this.stream(streamArn).status = status;
  }

  /** The stream is gone: every call naming it answers ResourceNotFoundException. */
  deleteStream(streamArn: string): void {
    this.stream(streamArn).deleted = true;
  }

  /** The table and its streams are gone (ResourceNotFoundException). */
  deleteTable(tableName: string): void {
    const table = this.table(tableName);
    table.deleted = true;
    for (const stream of this.streams) if (stream.tableName === tableName) stream.deleted = true;
  }

  /**
   * A new shard, listed last. Low level: naming a parent does not close it (see `split`), and
   * a closed shard cannot take records afterwards, so pass them here.
   */
  addShard(streamArn: string, spec: ShardSpec = {}): string {
    const stream = this.stream(streamArn);
    const table = this.table(stream.tableName);
    if (spec.parentShardId) {
      const parent = this.shard(spec.parentShardId);
      if (parent.streamArn !== streamArn) throw new Error(`parent ${spec.parentShardId} belongs to another stream`);
    }
    const createdAt = this.now();
    let shardId: string;
    do shardId = formatShardId(createdAt, randomHex(this.random, 8));
    while (this.shardsById.has(shardId));
    const ordinal = stream.nextOrdinal++;
    const shard = new Shard({
      shardId,
      streamArn,
      ordinal,
      base: shardSequenceBase(ordinal),
      parentShardId: spec.parentShardId,
      createdAt,
      keyNames: table.keySchema.map((k) => k.AttributeName),
    });
    this.shardsById.set(shardId, shard);
    stream.listing.push(shard);
    if (spec.parentShardId) this.shard(spec.parentShardId).children.push(shardId);
    if (spec.lazy) this.appendGenerated(shardId, spec.lazy);
    if (spec.records) this.appendRecords(shardId, spec.records);
    if (spec.closed) shard.closed = true;
    return shardId;
  }

  /** Append to an open shard (also while clients read); returns the new sequence numbers. */
  appendRecords(shardId: string, records: RecordInput[]): string[] {
    const shard = this.writableShard(shardId);
    const keyNames = this.table(this.stream(shard.streamArn).tableName).keySchema.map((k) => k.AttributeName);
    const now = this.now();
    const first = shard.count;
    shard.appendStored(records.map((r) => normalizeRecord(r, keyNames, now)));
    return records.map((_, i) => shard.sequenceAt(first + i).toString());
  }

  /** Append `lazy.count` generated records (not stored). Returns the first and last new numbers. */
  appendGenerated(shardId: string, lazy: LazyRecords): { first?: string; last?: string } {
    const shard = this.writableShard(shardId);
    const first = shard.count;
    shard.appendLazy(lazy, lazy.generate ?? syntheticRecords(), this.now());
    if (lazy.count <= 0) return {};
    return { first: shard.sequenceAt(first).toString(), last: shard.sequenceAt(shard.count - 1).toString() };
  }

  closeShard(shardId: string): void {
    this.shard(shardId).closed = true;
  }

  /**
   * Close a shard and open `children` new ones under it. With `race`, the children are listed
   * at once but the parent stays open (and writable) through the next `race` DescribeStream
   * calls (true = 1) and closes when the one after arrives: the race careful readers survive.
   * With `listedLate`, the parent closes at once but the next `listedLate` DescribeStream
   * answers (filtered by CHILD_SHARDS or not) leave the children out, though they take writes:
   * a reader that gives up on them after one look finds them only at its next full describe.
   */
  split(shardId: string, children = 2, options: { race?: boolean | number; listedLate?: number } = {}): string[] {
    const parent = this.writableShard(shardId);
    const ids: string[] = [];
    for (let i = 0; i < children; i++) ids.push(this.addShard(parent.streamArn, { parentShardId: shardId }));
    for (const id of ids) this.shard(id).hiddenForDescribes = options.listedLate ?? 0;
    const race = options.race === true ? 1 : options.race || 0;
    if (race > 0) parent.closeAfterDescribes = race;
    else parent.closed = true;
    return ids;
  }

  /** A table write: routed by key hash to one of the open shards that have no children. */
  write(streamArn: string, record: RecordInput): { shardId: string; sequenceNumber: string } {
    const stream = this.stream(streamArn);
    const leaves = stream.listing.filter((s) => !s.closed && !s.dropped && s.children.length === 0);
    if (leaves.length === 0) throw new Error(`stream ${streamArn} has no open shard to write to`);
    const keyNames = this.table(stream.tableName).keySchema.map((k) => k.AttributeName);
    const stored = normalizeRecord(record, keyNames, this.now());
    const shard = leaves[hashString(JSON.stringify(stored.keys)) % leaves.length]!;
    const [sequenceNumber] = this.appendRecords(shard.shardId, [{ ...record, keys: stored.keys }]);
    return { shardId: shard.shardId, sequenceNumber: sequenceNumber! };
  }

  /** Trim the oldest `count` records (in total, not more) of a shard: reading before them fails. */
  trimRecords(shardId: string, count: number): void {
    const shard = this.shard(shardId);
    shard.trimIndex = Math.min(shard.count, Math.max(shard.trimIndex, count));
  }

  /** The whole shard aged out: no longer listed, its children become roots. */
  dropShard(shardId: string): void {
    this.shard(shardId).dropped = true;
  }

  /** Put the stream's shards in a random (seeded) DescribeStream order. */
  shuffleShards(streamArn: string, seed = 7): void {
    const listing = this.stream(streamArn).listing;
    const random = seededRandom(seed);
    for (let i = listing.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [listing[i], listing[j]] = [listing[j]!, listing[i]!];
    }
  }

  shardInfo(shardId: string): ShardInfo {
    const shard = this.shard(shardId);
    const info: ShardInfo = {
      shardId,
      streamArn: shard.streamArn,
      children: [...shard.children],
      closed: shard.closed,
      dropped: shard.dropped,
      recordCount: shard.count,
      trimmedCount: shard.trimIndex,
      startingSequenceNumber: shard.base.toString(),
    };
    if (shard.parentShardId) info.parentShardId = shard.parentShardId;
    const ending = shard.endingSequenceNumber();
    if (ending !== undefined) info.endingSequenceNumber = ending.toString();
    if (shard.count > shard.trimIndex) {
      info.firstSequenceNumber = shard.sequenceAt(shard.trimIndex).toString();
      info.lastSequenceNumber = shard.sequenceAt(shard.count - 1).toString();
    }
    return info;
  }

  /** Shards in creation order (dropped ones included, marked). */
  shardsOf(streamArn: string): ShardInfo[] {
    return [...this.stream(streamArn).listing]
      .sort((a, b) => a.ordinal - b.ordinal)
      .map((s) => this.shardInfo(s.shardId));
  }

  /** Records as GetRecords sends them (JSON-parsed wire form), for building expectations. */
  recordsOf(shardId: string, start = 0, end?: number): Record<string, unknown>[] {
    const shard = this.shard(shardId);
    const stream = this.stream(shard.streamArn);
    const ctx = { region: this.region, viewType: stream.viewType, shardId };
    const out: Record<string, unknown>[] = [];
    for (let i = Math.max(0, start); i < Math.min(end ?? shard.count, shard.count); i++) {
      const { record, eventId } = shard.recordAt(i);
      out.push(JSON.parse(renderRecord(ctx, shard.sequenceAt(i), eventId, record)) as Record<string, unknown>);
    }
    return out;
  }

  stream(streamArn: string): StreamState {
    const stream = this.streamsByArn.get(streamArn);
    if (!stream) throw new Error(`no stream ${streamArn}`);
    return stream;
  }

  table(tableName: string): TableState {
    const table = this.tables.get(tableName);
    if (!table) throw new Error(`no table ${tableName}`);
    return table;
  }

  shard(shardId: string): Shard {
    const shard = this.shardsById.get(shardId);
    if (!shard) throw new Error(`no shard ${shardId}`);
    return shard;
  }

  /** Before answering a DescribeStream: a racing parent whose open sightings are used up closes now. */
  settleRaces(stream: StreamState): void {
    for (const shard of stream.listing) {
      if (shard.closeAfterDescribes === 0) {
        shard.closeAfterDescribes = undefined;
        shard.closed = true;
      }
    }
  }

  /** After answering a DescribeStream that showed racing parents open. */
  noteDescribed(stream: StreamState): void {
    for (const shard of stream.listing) {
      if (shard.closeAfterDescribes) shard.closeAfterDescribes -= 1;
      if (shard.hiddenForDescribes > 0) shard.hiddenForDescribes -= 1;
    }
  }

  private writableShard(shardId: string): Shard {
    const shard = this.shard(shardId);
    if (shard.closed) throw new Error(`shard ${shardId} is closed`);
    const stream = this.stream(shard.streamArn);
    if (stream.deleted || stream.status === 'DISABLED') throw new Error(`stream ${stream.arn} takes no writes`);
    return shard;
  }
}
