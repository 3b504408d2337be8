import { randomBytes } from 'node:crypto';
import type { Invocation, InvokeOutcome } from './engine-types.js';
import { functionArnFor } from './failure-record.js';
import { HandlerLoadError, HandlerWorker, NOT_STARTED, type WorkerSettings } from './handler-worker.js';
import { MAPPING_DEFAULTS } from './options.js';
import type { StaticContext } from './worker-protocol.js';

export interface PoolSettings extends WorkerSettings {
  functionName: string;
  /** Most workers alive at once (the invocations that may run concurrently). */
  size: number;
}

const SCALE_UP_WAIT_MS = 50;
/** A handler faster than this on average gains nothing from more processes. */
const QUICK_HANDLER_MS = 20;
const SLOW_FIRST_INVOCATION_MS = 500;

/** What Lambda sets in a function's environment that handlers (and their libraries) read. */
export function lambdaEnvironment(functionName: string, base: NodeJS.ProcessEnv, memoryMb: number): NodeJS.ProcessEnv {
  return {
    ...base,
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
  };
}

interface Member {
  worker: HandlerWorker;
  logStreamName: string;
  /** Which version of the handler it runs (see `reload`). */
  generation: number;
  /** When its current invocation began. */
  since: number;
  /** Invocations sent to it and not yet answered: one running, perhaps one waiting. */
  running: number;
}

/**
 * Warm handler processes, started on demand up to `size`. Each invocation takes an idle one; one
 * that died (crash, exit, timeout) is dropped and the next invocation starts a fresh one.
 */
export class WorkerPool {
  private readonly idle: Member[] = [];
  private live = 0;
  private readonly waiting: Array<() => void> = [];
  private closed = false;
  private readonly busy = new Set<Member>();
  private generation = 0;
  /** Moving average of how long the handler runs (as its workers measure it). */
  private averageDurationMs: number | undefined;

  private constructor(private settings: PoolSettings) {}

  /** Starts the first worker now, so that a handler that does not load fails before any work. */
  static async start(settings: PoolSettings): Promise<WorkerPool> {
    const pool = new WorkerPool(settings);
    pool.idle.push(await pool.spawn());
    return pool;
  }

  private async spawn(settings = this.settings, generation = this.generation): Promise<Member> {
    this.live++;
    try {
      // Like a Lambda execution environment: each worker has its own log stream.
      const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
      const logStreamName = `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
      const worker = await HandlerWorker.start({
        ...settings,
        env: { ...settings.env, AWS_LAMBDA_LOG_STREAM_NAME: logStreamName },
      });
      return { worker, logStreamName, generation, since: 0, running: 0 };
    } catch (error) {
      this.live--;
      this.wakeOne();
      throw error;
    }
  }

  private async acquire(): Promise<Member> {
    for (;;) {
      if (this.closed) throw new Error('the handler pool is closed');
      const member = this.idle.pop();
      if (member?.worker.alive) return member;
      // It exited between invocations (a timer calling process.exit, say): replace it.
      if (member) {
        this.live--;
        continue;
      }
      const host = this.queueHost();
      if (host) return host;
      if (this.live === 0) return this.spawn();
      if (this.live < this.settings.size) {
        // Starting a process costs more than a short wait: give a busy worker a moment to free up.
        if (await this.releasedWithin(SCALE_UP_WAIT_MS)) continue;
        if (!this.closed && this.idle.length === 0 && this.live < this.settings.size && this.worthAnotherWorker()) {
          return this.spawn();
        }
        continue;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  /**
   * Quick handlers share the workers there are (one, usually); slow ones (I/O-bound, say) get a
   * worker per concurrent batch, as Lambda gives each shard its own execution environment. Until
   * an invocation has finished, a busy worker that has run a while counts as slow.
   */
  private worthAnotherWorker(): boolean {
    if (this.averageDurationMs !== undefined) return this.averageDurationMs >= QUICK_HANDLER_MS;
    const now = Date.now();
    return [...this.busy].some((member) => now - member.since >= SLOW_FIRST_INVOCATION_MS);
  }

  /**
   * A busy worker of a quick handler with room for one more: the batch waits in its process and
   * starts the moment the running one ends, while this process goes on reading. Only batches of
   * different lanes meet there (a lane sends its next batch after the last one's outcome), so
   * the order within a shard and key is Lambda's.
   */
  private queueHost(): Member | undefined {
    if (this.averageDurationMs === undefined || this.averageDurationMs >= QUICK_HANDLER_MS) return undefined;
    for (const member of this.busy) {
      if (member.generation === this.generation && member.worker.canQueue) return member;
    }
    return undefined;
  }

  private releasedWithin(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        const at = this.waiting.indexOf(wake);
        if (at >= 0) this.waiting.splice(at, 1);
        resolve(false);
      }, ms);
      this.waiting.push(wake);
    });
  }

  private noteDuration(duration: number | undefined): void {
    if (duration === undefined) return;
    this.averageDurationMs = this.averageDurationMs === undefined ? duration : 0.7 * this.averageDurationMs + 0.3 * duration;
  }

  private release(member: Member): void {
    if (member.worker.alive && !this.closed && member.generation === this.generation) {
      this.idle.push(member);
    } else {
      this.live--;
      void member.worker.dispose();
    }
    this.wakeOne();
  }

  /**
   * Switches to a new version of the handler: it is loaded first (rejecting with
   * HandlerLoadError, and keeping the running version, when it does not load); idle workers of
   * the old version stop now, busy ones after their invocation.
   */
  async reload(modulePath: string): Promise<void> {
    const settings = { ...this.settings, modulePath };
    const fresh = await this.spawn(settings, this.generation + 1);
    this.settings = settings;
    this.generation++;
    for (const old of this.idle.splice(0)) {
      this.live--;
      void old.worker.dispose();
    }
    this.idle.push(fresh);
    this.wakeOne();
  }

  private wakeOne(): void {
    this.waiting.shift()?.();
  }

  readonly invoke = async (invocation: Invocation): Promise<InvokeOutcome> => {
    for (;;) {
      let member: Member;
      try {
        member = await this.acquire();
      } catch (error) {
        const message = error instanceof HandlerLoadError ? `the handler no longer loads: ${error.message}` : (error as Error).message;
        return { ok: false, error: { errorType: 'Runtime.ImportModuleError', errorMessage: message }, crash: 'load' };
      }
      // A busy worker may have been handed to another lane too, before either batch was sent:
      // the first to send takes the waiting place, the other looks again.
      if (member.running > 0 && !member.worker.canQueue) continue;
      const outcome = await this.invokeOn(member, invocation);
      // Sent to wait behind a batch whose process then died: it never ran, so run it elsewhere.
      if (outcome !== NOT_STARTED) return outcome;
    }
  };

  private async invokeOn(member: Member, invocation: Invocation): Promise<InvokeOutcome | typeof NOT_STARTED> {
    const { functionName } = this.settings;
    const context: StaticContext = {
      functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: functionArnFor(functionName, invocation.streamArn),
      memoryLimitInMB: String(this.settings.memoryMb ?? MAPPING_DEFAULTS.memory),
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: member.logStreamName,
    };
    if (member.running === 0) member.since = Date.now();
    member.running++;
    this.busy.add(member);
    try {
      const outcome = await member.worker.invoke(invocation.requestId, invocation.payload, context);
      if (outcome !== NOT_STARTED) this.noteDuration(member.worker.lastDurationMs);
      return outcome;
    } finally {
      member.running--;
      if (member.running === 0) {
        this.busy.delete(member);
        this.release(member);
      } else {
        // The batch waiting behind it runs now, and the worker has room for another.
        member.since = Date.now();
        this.wakeOne();
      }
    }
  }

  /** Stops every worker; invocations still running end as function errors. */
  async close(): Promise<void> {
    this.closed = true;
    const members = [...this.idle, ...this.busy];
    this.idle.length = 0;
    for (const wake of this.waiting.splice(0)) wake();
    await Promise.all(members.map((member) => member.worker.dispose()));
  }
}
