import { randomBytes } from 'node:crypto';
import type { Invocation, InvokeOutcome } from './engine-types.js';
import { functionArnFor } from './failure-record.js';
import { HandlerLoadError, HandlerWorker, type WorkerSettings } from './handler-worker.js';
import type { StaticContext } from './worker-protocol.js';

export interface PoolSettings extends WorkerSettings {
  functionName: string;
  /** Most workers alive at once (the invocations that may run concurrently). */
  size: number;
}

export const MEMORY_LIMIT_MB = '128';

/** What Lambda sets in a function's environment that handlers (and their libraries) read. */
export function lambdaEnvironment(functionName: string, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...base,
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: MEMORY_LIMIT_MB,
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
  };
}

interface Member {
  worker: HandlerWorker;
  logStreamName: string;
  /** Which version of the handler it runs (see `reload`). */
  generation: number;
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
      return { worker, logStreamName, generation };
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
      if (this.live < this.settings.size) return this.spawn();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
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
    let member: Member;
    try {
      member = await this.acquire();
    } catch (error) {
      const message = error instanceof HandlerLoadError ? `the handler no longer loads: ${error.message}` : (error as Error).message;
      return { ok: false, error: { errorType: 'Runtime.ImportModuleError', errorMessage: message }, crash: 'load' };
    }
    const { functionName } = this.settings;
    const context: StaticContext = {
      functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: functionArnFor(functionName, invocation.streamArn),
      memoryLimitInMB: MEMORY_LIMIT_MB,
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: member.logStreamName,
    };
    this.busy.add(member);
    try {
      return await member.worker.invoke(invocation.requestId, invocation.payload, context);
    } finally {
      this.busy.delete(member);
      this.release(member);
    }
  };

  /** Stops every worker; invocations still running end as function errors. */
  async close(): Promise<void> {
    this.closed = true;
    const members = [...this.idle, ...this.busy];
    this.idle.length = 0;
    for (const wake of this.waiting.splice(0)) wake();
    await Promise.all(members.map((member) => member.worker.dispose()));
  }
}
