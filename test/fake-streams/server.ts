import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallLog } from './call-log.js';
import { Faults, type Action } from './faults.js';
import { DYNAMODB_ACTIONS, STREAMS_ACTIONS, type HandlerResult } from './handlers.js';
import { decodeIterator } from './iterators.js';
import { StreamsState, type ShardSpec, type StateOptions } from './state.js';
import { addLineage, addRootShards, type Lineage, type LineageOptions } from './topology.js';
import { WireError } from './wire-error.js';

export interface FakeStreamsOptions extends StateOptions {
  /** Keep only the most recent calls in the log (long benchmark runs). Default: all. */
  logLimit?: number;
}

const STREAMS_PREFIX = 'DynamoDBStreams_20120810';
const DYNAMODB_PREFIX = 'DynamoDB_20120810';
const CONTENT_TYPE = 'application/x-amz-json-1.0';

/** A DynamoDB Streams (and DescribeTable) endpoint on 127.0.0.1, with its state, faults and call log. */
export class FakeStreams extends StreamsState {
  readonly faults = new Faults();
  readonly log: CallLog;
  endpoint = '';
  port = 0;
  private host = '127.0.0.1';
  private readonly server: Server;
  private readonly readersByShard = new Map<string, number>();
  private readonly sleeping = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(options: FakeStreamsOptions = {}) {
    super(options);
    this.log = new CallLog(options.logLimit, this.now);
    this.server = createServer((req, res) => {
      this.answer(req, res).catch((error: unknown) => {
        if (!res.headersSent && !res.destroyed) send(res, 500, errorBody('InternalServerError', String(error)));
      });
    });
  }

  async listen(host = '127.0.0.1', port = 0): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.host = host;
    this.endpoint = `http://${host}:${this.port}`;
  }

  /**
   * The endpoint goes away (connections refused, open ones cut) while tables, streams, records
   * and faults stay: writes may go on, as on a service a client cannot reach.
   */
  async goOffline(): Promise<void> {
    const done = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await done;
  }

  /** Back on the same port after `goOffline`, as a server restarted in place. */
  async comeBack(): Promise<void> {
    await this.listen(this.host, this.port);
  }

  addRootShards(streamArn: string, count: number, spec: Omit<ShardSpec, 'parentShardId'> = {}): string[] {
    return addRootShards(this, streamArn, count, spec);
  }

  addLineage(streamArn: string, options: LineageOptions): Lineage {
    return addLineage(this, streamArn, options);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.sleeping) clearTimeout(timer);
    this.sleeping.clear();
    const done = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await done;
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const target = String(req.headers['x-amz-target'] ?? '');
    const [prefix, action = ''] = target.split('.');
    const table = prefix === STREAMS_PREFIX ? STREAMS_ACTIONS : prefix === DYNAMODB_PREFIX ? DYNAMODB_ACTIONS : undefined;
    const handler = table && Object.hasOwn(table, action) ? table[action] : undefined;
    if (req.method !== 'POST' || !handler) {
      send(res, 400, errorBody('UnknownOperationException', `Unknown operation ${target || '(no X-Amz-Target)'}`));
      return;
    }
    let params: Record<string, unknown>;
    try {
      params = raw.length ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      send(res, 400, errorBody('SerializationException', 'Request body is not valid JSON'));
      return;
    }
    const entry = this.log.start({
      action,
      params,
      startedAt: this.now(),
      ...(typeof params.StreamArn === 'string' ? { streamArn: params.StreamArn } : {}),
      ...(typeof params.ShardId === 'string' ? { shardId: params.ShardId } : {}),
    });
    // Readers are counted from arrival to answer, so latency makes overlapping reads visible.
    const iterator = action === 'GetRecords' && typeof params.ShardIterator === 'string' ? decodeIterator(params.ShardIterator) : undefined;
    const readerKey = iterator ? `${iterator.streamArn}|${iterator.shardId}` : undefined;
    if (iterator && readerKey) {
      const readers = (this.readersByShard.get(readerKey) ?? 0) + 1;
      this.readersByShard.set(readerKey, readers);
      Object.assign(entry, { streamArn: iterator.streamArn, shardId: iterator.shardId, concurrentOnShard: readers });
    }
    try {
      const injected = this.faults.take(action as Action);
      const tooManyReaders = this.faults.maxReadersPerShard !== undefined &&
        (entry.concurrentOnShard ?? 0) > this.faults.maxReadersPerShard;
      const delay = this.faults.latencyFor(action as Action);
      if (delay > 0) await this.sleep(delay);
      if (this.closed) return;
      if (injected?.kind === 'reset') {
        entry.outcome = 'reset';
        req.socket.destroy();
        return;
      }
      let result: HandlerResult;
      try {
        if (injected) throw new WireError(injected.type, injected.message, injected.status);
        if (tooManyReaders) {
          throw new WireError('LimitExceededException', `Too many readers on shard ${entry.shardId}; at most ${this.faults.maxReadersPerShard} at once.`);
        }
        result = handler(params, { state: this, faults: this.faults });
      } catch (error) {
        const wire = error instanceof WireError ? error : new WireError('InternalServerError', String(error), 500);
        entry.outcome = wire.type;
        send(res, wire.status, wire.body());
        return;
      }
      Object.assign(entry, result.note);
      entry.outcome = 'ok';
      send(res, 200, result.body);
    } finally {
      entry.endedAt = this.now();
      if (readerKey) {
        const left = (this.readersByShard.get(readerKey) ?? 1) - 1;
        if (left > 0) this.readersByShard.set(readerKey, left);
        else this.readersByShard.delete(readerKey);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.sleeping.delete(timer);
        resolve();
      }, ms);
      this.sleeping.add(timer);
    });
  }
}

export async function startFakeStreams(options: FakeStreamsOptions = {}): Promise<FakeStreams> {
  const fake = new FakeStreams(options);
  await fake.listen();
  return fake;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function errorBody(type: string, message: string): string {
  return new WireError(type, message).body();
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(body);
}
