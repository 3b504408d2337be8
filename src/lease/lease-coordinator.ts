import type { AssignableShard, ShardAssignment, ShardStop, ShardTurn } from '../stream/shard-assignment.js';
import { sleep } from '../util/sleep.js';
import { ExpiryWatch } from './expiry-watch.js';
import { foreignLease } from './foreign-lease.js';
import { isFinished, reached, SHARD_END, type Lease } from './lease.js';
import { CLEANUP_PER_ROUND, leasesToDelete } from './lease-cleanup.js';
import type { LeaseTable } from './lease-table.js';
import { planTakes } from './lease-taker.js';
import { Rounds } from './rounds.js';
import { backfillUnderWay, isBackfillKey, pickSegment } from './scan-leases.js';
import { decideTurn, doneForRun, newLease, type RunView } from './shard-turn.js';
import { TurnWaiters } from './turn-waiters.js';

export interface CoordinatorSettings {
  table: LeaseTable;
  streamArn: string;
  workerId: string;
  /** A lease whose counter stands still this long is expired (KCL's failover time). */
  leaseDurationMs: number;
  follow: boolean;
  /** Failures of the background work (a scan that fails for good): the run stops with them. */
  onError: (error: unknown) => void;
  now?: () => number;
}

interface Held {
  counter: number;
  /** When this worker last wrote the lease (take, renewal, checkpoint): it is ours for a lease duration from then. */
  wroteAt: number;
}

/** Pause between checks of a shard at its tip whose last records are not checkpointed yet. */
const TIP_CHECK_MS = 50;

/**
 * One worker of a consumer group. Every lease duration / 3 it scans the lease table, renews the
 * leases it holds, takes free and expired ones (or steals one) as KCL's taker does, and tells
 * the reader which shards it may read. Checkpoints go into the leases, conditional like every
 * other write: a worker that lost a lease cannot write it, and stops reading that shard.
 *
 * A backfill's segments (`--scan --group`) are leases too, enlisted by the session and handed
 * out by `next`; while the table shows the backfill under way, only they are taken, and no
 * shard's turn comes (see scan-leases.ts).
 */
export class LeaseCoordinator implements ShardAssignment {
  private readonly leases = new Map<string, Lease>();
  private readonly held = new Map<string, Held>();
  private readonly pending = new Map<string, string>();
  /** Keys this worker may take: the shards the reader asked about, and the segments enlisted. */
  private readonly known = new Set<string>();
  /** Shards the reader is reading now (its turn came, and it has not said it stopped). */
  private readonly reading = new Set<string>();
  /** Leases another worker asked for, and who: not read any more, handed over once checkpointed. */
  private readonly handingOff = new Map<string, string>();
  /** What was read of a lease that stopped being read (its lease lapsed here for a moment): checkpointed before any hand-off. */
  private readonly owed = new Map<string, string>();
  /** Shards the run stopped delivering (past --until): their tip needs no checkpoint beyond. */
  private readonly cut = new Set<string>();
  private readonly waiters = new TurnWaiters();
  private readonly writes = new Map<string, Promise<unknown>>();
  private readonly watch: ExpiryWatch;
  private readonly run: RunView;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private readonly rounds = new Rounds(() => this.tick(), () => !this.stopped_ && !this.failure, (error) => this.fail(error));
  private checkedUnknown = false;
  private failure: unknown;
  private stopped_ = false;
  private lastFlush = 0;

  constructor(private readonly settings: CoordinatorSettings) {
    this.now = settings.now ?? Date.now;
    this.watch = new ExpiryWatch(settings.leaseDurationMs);
    this.run = { follow: settings.follow, startedAt: this.now() };
  }

  get workerId(): string {
    return this.settings.workerId;
  }

  /** Leases this worker holds now. */
  heldCount(): number {
    return this.held.size;
  }

  /** The table made ready and first read; then the rounds begin. */
  async start(signal?: AbortSignal): Promise<void> {
    await this.settings.table.ensure(signal);
    this.observe(await this.settings.table.scan(signal));
    this.timer = setInterval(() => this.rounds.request(), this.renewEveryMs());
  }

  turn(shard: AssignableShard, signal: AbortSignal): Promise<ShardTurn> {
    if (this.failure) return Promise.reject(this.failure);
    this.known.add(shard.shardId);
    const turn = this.waiters.wait<ShardTurn>(signal, { read: false }, () => {
      // The stream waits for the group's backfill: every scanned item before any change.
      if (backfillUnderWay(this.leases)) return 'wait';
      return decideTurn(shard, this.leases, this.holds(shard.shardId), this.run);
    }, (answer) => {
      if (answer.read) this.reading.add(shard.shardId);
    });
    void this.ensureLease(newLease(shard, this.settings.streamArn)).then(() => this.rounds.request(), (error: unknown) => this.fail(error));
    return turn;
  }

  /**
   * Leases this worker works on besides the stream's shards (a backfill's segments): written
   * unless they exist, then taken, renewed and balanced like the shards'.
   */
  async enlist(leases: readonly Lease[]): Promise<void> {
    for (const lease of leases) this.known.add(lease.leaseKey);
    await Promise.all(leases.map((lease) => this.ensureLease(lease)));
    this.rounds.request();
  }

  /**
   * Waits until this worker holds one of the enlisted `keys` that it is not reading yet, and
   * answers it (counted as read here until `stopped`); undefined once every one of them is
   * finished, by whichever worker, or on abort.
   */
  next(keys: readonly string[], signal: AbortSignal): Promise<string | undefined> {
    if (this.failure) return Promise.reject(this.failure);
    const next = this.waiters.wait<string | undefined>(signal, undefined, () => {
      const pick = pickSegment(keys, this.leases, (key) => this.holds(key), this.reading);
      return pick === 'done' ? undefined : pick;
    }, (key) => {
      if (key !== undefined) this.reading.add(key);
    });
    this.waiters.answer();
    return next;
  }

  /** A lease as this worker last saw the table (its own writes included). */
  lease(key: string): Lease | undefined {
    return this.leases.get(key);
  }

  /** A lease's checkpoint as this worker knows it: a move not yet written, or the table's. */
  position(key: string): string | undefined {
    return this.pending.get(key) ?? this.leases.get(key)?.checkpoint;
  }

  holds(shardId: string): boolean {
    const held = this.held.get(shardId);
    return held !== undefined && !this.handingOff.has(shardId) && this.now() - held.wroteAt <= this.settings.leaseDurationMs;
  }

  async stopped(shardId: string, stop: ShardStop): Promise<void> {
    // The shard counts as read here until its last checkpoint is recorded: a hand-off asked for
    // meanwhile waits for it, or the next owner would begin before what this worker delivered.
    try {
      await this.settle(shardId, stop);
    } finally {
      this.reading.delete(shardId);
    }
  }

  private async settle(shardId: string, stop: ShardStop): Promise<void> {
    if (stop.how === 'end') {
      // The SHARD_END checkpoint comes with the last page's commit, and lets the lease go.
      await this.waitForCheckpoint(shardId, (checkpoint) => checkpoint === SHARD_END);
      if (this.pending.get(shardId) === SHARD_END) await this.flush();
      this.handingOff.delete(shardId);
      return;
    }
    const to = this.handingOff.get(shardId);
    if (stop.how === 'lost' && to === undefined) {
      // Taken (nothing of ours to write), or lapsed by this clock and still ours in the table.
      if (stop.lastRead !== undefined && this.held.has(shardId)) this.owed.set(shardId, stop.lastRead);
      return;
    }
    // Let go of the lease only once what was read has been checkpointed: what this worker
    // delivered is then never delivered again, and a worker that dies before then leaves the
    // records to whoever takes the lease next.
    const target = stop.lastRead;
    if (target !== undefined) await this.waitForCheckpoint(shardId, (checkpoint) => reached(checkpoint, target));
    await this.flush();
    if (to !== undefined) return this.handOffNow(shardId, to);
    if (this.run.follow) return;
    await this.write(shardId, (held) => this.settings.table.release(held, this.now()), (lease) => {
      delete lease.leaseOwner;
      lease.readToTipAt = this.now();
    }, true);
  }

  /**
   * Until the shard's checkpoint (pending or written) satisfies `done`, while the lease is still
   * ours in the table. Not by this machine's clock: a worker paused past the lease duration
   * still holds the lease until another takes it (the next round then finds it lost), and
   * handing it over before its deliveries are checkpointed would deliver them twice.
   */
  private async waitForCheckpoint(shardId: string, done: (checkpoint: string | undefined) => boolean): Promise<void> {
    while (this.held.has(shardId) && !this.stopped_ && !this.cut.has(shardId) && !done(this.position(shardId))) await sleep(TIP_CHECK_MS);
  }

  private async handOffNow(shardId: string, to: string): Promise<void> {
    this.handingOff.delete(shardId);
    await this.write(shardId, (held) => this.settings.table.handOff(held, to), (lease) => {
      lease.leaseOwner = to;
      delete lease.handoffTo;
    }, true);
  }

  /** The run delivers no more of this shard (past --until). */
  shardCut(shardId: string): void {
    this.cut.add(shardId);
  }

  /** The error that stopped the group, if one did. */
  get failed(): unknown {
    return this.failure;
  }

  /** Records of the shard up to `through` are handled; `end`: all of them, the shard is finished. */
  checkpoint(shardId: string, through: string | undefined, end: boolean): void {
    if (!this.held.has(shardId)) return; // lost: its new owner reads from the last checkpoint written
    const before = this.position(shardId);
    if (end) this.pending.set(shardId, SHARD_END);
    else if (through !== undefined && !reached(before, through)) this.pending.set(shardId, through);
  }

  /** Writes the checkpoints that moved. */
  async flush(): Promise<void> {
    this.lastFlush = this.now();
    const moves = [...this.pending];
    await Promise.all(moves.map(([shardId, checkpoint]) => this.write(shardId, (held) => this.settings.table.checkpoint(held, checkpoint), (lease) => {
      lease.checkpoint = checkpoint;
      if (checkpoint === SHARD_END) delete lease.leaseOwner;
      if (this.pending.get(shardId) === checkpoint) this.pending.delete(shardId);
    }, checkpoint === SHARD_END)));
    if (moves.some(([, checkpoint]) => checkpoint === SHARD_END)) this.rounds.request();
  }

  flushIfDue(intervalMs = 1_000): Promise<void> {
    return this.now() - this.lastFlush >= intervalMs ? this.flush() : Promise.resolve();
  }

  /** Checkpoints written and every lease let go, so that the rest of the group takes them at once. */
  async stop(): Promise<void> {
    if (this.stopped_) return;
    this.stopped_ = true;
    clearInterval(this.timer);
    await this.rounds.settled();
    try {
      await this.flush();
    } finally {
      await Promise.all([...this.held.keys()].map((shardId) => this.write(shardId, (held) => this.settings.table.release(held), (lease) => {
        delete lease.leaseOwner;
      }, true).catch(() => undefined)));
    }
  }

  /** How often the rounds run (renewals among them): a third of the lease duration, as KCL's. */
  private renewEveryMs(): number {
    return Math.max(10, Math.floor(this.settings.leaseDurationMs / 3));
  }

  private async ensureLease(lease: Lease): Promise<void> {
    if (this.leases.has(lease.leaseKey)) return;
    // Another worker may have written it first: then theirs stands, and the next scan shows it.
    if (await this.settings.table.create(lease)) this.observe([...this.leases.values(), lease]);
  }

  /** One round: scan, notice lost leases, renew, write moved checkpoints, check the table fits the stream, take, answer waiters. */
  private async tick(): Promise<void> {
    const { table, workerId } = this.settings;
    this.observe(await table.scan());
    for (const [shardId, held] of this.held) {
      const lease = this.leases.get(shardId);
      if (!lease || lease.leaseOwner !== workerId || lease.leaseCounter > held.counter) this.lose(shardId);
      else if (lease.handoffTo && lease.handoffTo !== workerId) this.handingOff.set(shardId, lease.handoffTo);
    }
    // Asked-for leases nobody reads here now (waiting for a parent, say) go at once.
    for (const [shardId, to] of this.handingOff) {
      if (this.reading.has(shardId) || !this.settled(shardId)) continue;
      if (this.pending.has(shardId)) await this.flush();
      await this.handOffNow(shardId, to);
    }
    // Handed to us by their last owner (or ours from before a restart under the same --worker-id).
    // Held only once this round's renewal succeeds: a scan that began before our own hand-off
    // still shows us as the owner, and reading on such a lease would deliver twice.
    for (const lease of this.leases.values()) {
      if (lease.leaseOwner === workerId && !this.held.has(lease.leaseKey) && !isFinished(lease)) {
        this.held.set(lease.leaseKey, { counter: lease.leaseCounter, wroteAt: Number.NEGATIVE_INFINITY });
      }
    }
    // Rounds also run on demand (a new lease, a finished shard): renew only what is half a round
    // old, or a run that starts with many shards writes every lease once per lease it creates.
    const renewBefore = this.now() - this.renewEveryMs() / 2;
    const due = [...this.held].filter(([, held]) => held.wroteAt <= renewBefore).map(([shardId]) => shardId);
    await Promise.all(due.map((shardId) => this.write(shardId, (held) => table.renew(held), () => undefined)));
    // Checkpoints that moved are written within a second or a round, even when no more is
    // delivered (a quiet stream, a stalled reader of the output) to bring the next commit.
    await this.flushIfDue();
    // Once the reader has asked about the stream's shards (a backfill's segments come before them).
    if (!this.checkedUnknown && [...this.known].some((key) => !isBackfillKey(key))) {
      this.checkedUnknown = true;
      const foreign = foreignLease(this.leases.values(), this.known, table.name, this.settings.streamArn);
      if (foreign) return this.fail(foreign);
    }
    // While the backfill is under way only its segments are worth holding: shards would count
    // towards a worker's share, and leave it fewer segments to scan.
    const scanOnly = backfillUnderWay(this.leases);
    const candidates = [...this.leases.values()].filter((lease) => this.known.has(lease.leaseKey) && !isFinished(lease) &&
      !doneForRun(lease, this.run) && (!scanOnly || isBackfillKey(lease.leaseKey)));
    const now = this.now();
    const plan = planTakes({ me: workerId, leases: candidates, isExpired: (lease) => this.watch.isExpired(lease, now) });
    // Side by side: each take is conditional on its own lease, so their order does not matter.
    await Promise.all(plan.take.map(async (lease) => {
      if (!(await table.take(lease, workerId))) return;
      const counter = lease.leaseCounter + 1;
      this.held.set(lease.leaseKey, { counter, wroteAt: this.now() });
      this.leases.set(lease.leaseKey, { ...lease, leaseOwner: workerId, leaseCounter: counter });
      this.watch.noteWrite(lease.leaseKey, counter, this.now());
    }));
    // A live lease is asked for, not taken: its owner hands it over once its deliveries are checkpointed.
    for (const lease of plan.steal) if (lease.handoffTo !== workerId) await table.requestHandoff(lease, workerId);
    this.waiters.answer();
    // Finished leases of shards gone from the stream go, a few a round, once the reader has
    // listed the stream and a lease duration has passed (lease-cleanup.ts).
    if (!this.checkedUnknown || this.now() - this.run.startedAt < this.settings.leaseDurationMs) return;
    const gone = leasesToDelete(this.leases.values(), this.known, CLEANUP_PER_ROUND);
    await Promise.all(gone.map(async (lease) => (await table.delete(lease)) && this.leases.delete(lease.leaseKey)));
  }

  private observe(leases: Lease[]): void {
    this.leases.clear();
    for (const lease of leases) this.leases.set(lease.leaseKey, lease);
    this.watch.observe(leases, this.now());
  }

  private lose(shardId: string): void {
    this.held.delete(shardId);
    this.pending.delete(shardId);
    this.handingOff.delete(shardId);
    this.owed.delete(shardId);
  }

  /** Nothing read of the lease waits for its checkpoint any more. */
  private settled(shardId: string): boolean {
    const owed = this.owed.get(shardId);
    if (owed !== undefined && !reached(this.position(shardId), owed)) return false;
    this.owed.delete(shardId);
    return true;
  }

  /**
   * A conditional write of a held lease, one at a time per lease (each expects the counter the
   * last one left). A write the table refuses means the lease was taken: it is ours no more.
   */
  private write(shardId: string, send: (held: { leaseKey: string; leaseOwner: string; leaseCounter: number }) => Promise<boolean>, apply: (lease: Lease) => void, letsGo = false): Promise<void> {
    const previous = this.writes.get(shardId) ?? Promise.resolve();
    const next = previous.then(async () => {
      const held = this.held.get(shardId);
      if (!held) return;
      const ok = await send({ leaseKey: shardId, leaseOwner: this.settings.workerId, leaseCounter: held.counter });
      if (!ok) return this.lose(shardId);
      held.counter++;
      held.wroteAt = this.now();
      this.watch.noteWrite(shardId, held.counter, held.wroteAt);
      const lease = this.leases.get(shardId);
      if (lease) {
        lease.leaseCounter = held.counter;
        apply(lease);
      }
      if (letsGo) this.held.delete(shardId);
    });
    this.writes.set(shardId, next.catch(() => undefined));
    return next;
  }

  private fail(error: unknown): void {
    if (this.failure) return;
    this.failure = error;
    this.waiters.fail(error);
    this.settings.onError(error);
  }
}
