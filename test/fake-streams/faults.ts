export type Action = 'ListStreams' | 'DescribeStream' | 'GetShardIterator' | 'GetRecords' | 'DescribeTable' | 'Scan';
export type ThrottleError = 'LimitExceededException' | 'ThrottlingException' | 'ProvisionedThroughputExceededException';

export interface FaultScope {
  /** Only calls of these actions count and are hit. Default: every action. */
  actions?: Action[];
}

/** What the server does instead of answering normally. */
export type Injected =
  | { kind: 'reset' }
  | { kind: 'error'; type: string; status: number; message: string };

interface Armed {
  remaining: number;
  actions: Action[] | undefined;
  fault: Injected;
}

export const REAL_ITERATOR_LIFETIME_MS = 15 * 60 * 1000;

/**
 * Run-time switchable misbehaviour. Counted faults hit the next N matching calls, oldest armed
 * first; latency applies to every call until changed.
 */
export class Faults {
  private armed: Armed[] = [];
  private defaultLatency = 0;
  private readonly latencyByAction = new Map<Action, number>();
  private emptyPagesLeft = 0;
  /** ExpiredIteratorException for iterators older than this. */
  iteratorLifetimeMs = REAL_ITERATOR_LIFETIME_MS;
  /** LimitExceededException when more GetRecords than this are in flight on one shard. */
  maxReadersPerShard: number | undefined;
  /**
   * DynamoDB Local's way: an iterator taken while its shard held no record, followed through
   * NextShardIterator, answers the first GetRecords after the shard's first write with
   * TrimmedDataAccessException, though nothing was trimmed.
   */
  emptyShardIteratorsTrimmed = false;
  /**
   * How DescribeStream treats ShardFilter: as AWS does, or as endpoints that predate it do
   * (`ignored`: every shard listed, as LocalStack answers; `rejected`: a validation error).
   */
  shardFilter: 'supported' | 'ignored' | 'rejected' = 'supported';
  /**
   * Records per GetRecords page at most, whatever the Limit: the service answers short pages
   * (by size, or when a shard's records are spread out), so a shard takes many calls.
   */
  recordsPerPage: number | undefined;

  /** Delay before answering, in ms; with `actions`, only for those. */
  setLatency(ms: number, scope: FaultScope = {}): this {
    if (scope.actions) for (const action of scope.actions) this.latencyByAction.set(action, ms);
    else {
      this.defaultLatency = ms;
      this.latencyByAction.clear();
    }
    return this;
  }

  latencyFor(action: Action): number {
    return this.latencyByAction.get(action) ?? this.defaultLatency;
  }

  /** The next `count` calls are throttled (HTTP 400). */
  throttle(count: number, options: FaultScope & { error?: ThrottleError } = {}): this {
    const type = options.error ?? 'LimitExceededException';
    const message = type === 'ThrottlingException'
      ? 'Rate exceeded'
      : type === 'ProvisionedThroughputExceededException'
        ? 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.'
        : 'Too many requests are being made to this shard or stream; slow down.';
    return this.arm(count, options, { kind: 'error', type, status: 400, message });
  }

  /** The next `count` calls are refused as an IAM policy without the action would refuse them (HTTP 400). */
  accessDenied(count: number, scope: FaultScope = {}): this {
    const action = scope.actions?.[0] ?? 'Scan';
    const message = `User: arn:aws:iam::123456789012:user/reader is not authorized to perform: dynamodb:${action} because no identity-based policy allows the dynamodb:${action} action`;
    return this.arm(count, scope, { kind: 'error', type: 'AccessDeniedException', status: 400, message });
  }

  /** The next `count` calls fail with InternalServerError (HTTP 500). */
  internalErrors(count: number, scope: FaultScope = {}): this {
    return this.arm(count, scope, { kind: 'error', type: 'InternalServerError', status: 500, message: 'Internal server error' });
  }

  /** The next `count` calls get their connection destroyed without an answer. */
  resetConnections(count: number, scope: FaultScope = {}): this {
    return this.arm(count, scope, { kind: 'reset' });
  }

  /** The next `count` GetRecords return no records and an iterator at the same place. */
  emptyPages(count: number): this {
    this.emptyPagesLeft += count;
    return this;
  }

  setIteratorLifetime(ms: number): this {
    this.iteratorLifetimeMs = ms;
    return this;
  }

  /** Behave like DynamoDB Local with iterators taken on an empty shard (see emptyShardIteratorsTrimmed). */
  trimIteratorsTakenOnEmptyShards(on = true): this {
    this.emptyShardIteratorsTrimmed = on;
    return this;
  }

  setMaxReadersPerShard(readers: number | undefined): this {
    this.maxReadersPerShard = readers;
    return this;
  }

  /** Back to a well-behaved service (the real iterator lifetime, no latency). */
  clear(): this {
    this.armed = [];
    this.defaultLatency = 0;
    this.latencyByAction.clear();
    this.emptyPagesLeft = 0;
    this.iteratorLifetimeMs = REAL_ITERATOR_LIFETIME_MS;
    this.maxReadersPerShard = undefined;
    this.emptyShardIteratorsTrimmed = false;
    return this;
  }

  /** Armed faults not yet used up (all kinds together). */
  pending(): number {
    return this.armed.reduce((n, a) => n + a.remaining, 0) + this.emptyPagesLeft;
  }

  take(action: Action): Injected | undefined {
    const index = this.armed.findIndex((a) => !a.actions || a.actions.includes(action));
    if (index < 0) return undefined;
    const armed = this.armed[index]!;
    armed.remaining -= 1;
    if (armed.remaining <= 0) this.armed.splice(index, 1);
    return armed.fault;
  }

  takeEmptyPage(): boolean {
    if (this.emptyPagesLeft <= 0) return false;
    this.emptyPagesLeft -= 1;
    return true;
  }

  private arm(count: number, scope: FaultScope, fault: Injected): this {
    if (count > 0) this.armed.push({ remaining: count, actions: scope.actions, fault });
    return this;
  }
}
