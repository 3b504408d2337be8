import { fork, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { InvokeOutcome } from './engine-types.js';
import type { FromWorker, LoadFailure, StaticContext, ToWorker } from './worker-protocol.js';

export interface WorkerSettings {
  /** The compiled worker runner (dist/replay/worker-main.js). */
  runnerPath: string;
  modulePath: string;
  exportName?: string;
  display: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  timeoutMs: number;
  /** Every line the handler writes to stdout or stderr. */
  onOutput: (line: string) => void;
  /** The V8 heap limit of the handler's process, like Lambda's memory setting. */
  memoryMb?: number;
}

/**
 * V8's report when a process passes its heap limit: the GC trace comes first, then the fatal
 * line and a native stack. None of it is the handler's output.
 */
const OUT_OF_MEMORY = /^<--- Last few GCs --->|JavaScript heap out of memory|Reached heap limit/;

/** How V8 ends a process that ran out of heap: abort(). */
const ABORTED = (code: number | null, signal: NodeJS.Signals | null): boolean =>
  signal === 'SIGABRT' || signal === 'SIGTRAP' || code === 134;

/**
 * Forwards stderr lines until V8's out-of-memory report begins, and notes that it did. The report
 * starts with a blank line, so a blank line waits for the next one (or the next turn of the loop).
 */
function stderrFilter(onLine: (line: string) => void, memory: { exhausted: boolean }): (line: string) => void {
  let blanks = 0;
  const flush = (): void => {
    for (; blanks > 0 && !memory.exhausted; blanks--) onLine('');
    blanks = 0;
  };
  return (line) => {
    if (!memory.exhausted && OUT_OF_MEMORY.test(line)) memory.exhausted = true;
    if (memory.exhausted) return;
    if (line === '') {
      if (blanks++ === 0) setImmediate(flush);
      return;
    }
    flush();
    onLine(line);
  };
}

/**
 * Loading the handler (Lambda's init phase) has its own limit: 10 s, as in Lambda, or the
 * function timeout when that is longer.
 */
export function initTimeoutMs(timeoutMs: number): number {
  return Math.max(10_000, timeoutMs);
}

export class HandlerLoadError extends Error {
  override readonly name = 'HandlerLoadError';
  constructor(readonly kind: LoadFailure | 'timeout' | 'exit', message: string) {
    super(message);
  }
}

/** An invocation sent but given back unrun: the process died while it waited. Run it elsewhere. */
export const NOT_STARTED = Symbol('not started');

interface Pending {
  requestId: string;
  /** The worker's answer, received and about to be delivered. */
  answer?: InvokeOutcome;
  resolve: (outcome: InvokeOutcome | typeof NOT_STARTED) => void;
  /** The timeout, running from when the invocation is first in line. */
  timer?: NodeJS.Timeout;
  /** How long the handler ran, as the process measured it. */
  durationMs?: number;
}

function forwardLines(stream: Readable | null, onLine: (line: string) => void): void {
  if (!stream) return;
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
}

/**
 * One child process hosting the handler: loaded once, then invoked one batch at a time. One more
 * batch may wait in the process behind the running one (`canQueue`), so that it starts the moment
 * the running one ends instead of after a round trip through this process. A crash,
 * `process.exit` or a timeout ends the running invocation with a function error and leaves the
 * worker dead (a waiting one comes back NOT_STARTED); the pool replaces it.
 */
export class HandlerWorker {
  /** In the order the process runs them: the first is running, a second waits. */
  private readonly pending: Pending[] = [];
  private exited = false;
  /** Crashed, timed out or exiting: never to be invoked again, even before the exit arrives. */
  private doomed = false;
  /** The process has exited and its output pipes are drained. */
  private readonly closed: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly settings: WorkerSettings,
    private readonly memory: { exhausted: boolean },
  ) {
    this.closed = new Promise((resolve) => child.once('close', () => resolve()));
    child.on('message', (message: FromWorker) => this.onMessage(message));
    child.on('exit', (code, signal) => this.onExit(code, signal));
    // A send to a process that just died reports here; the exit handler already settled.
    child.on('error', () => {});
  }

  /** How long the handler ran in the last invocation it answered (undefined after a crash). */
  lastDurationMs: number | undefined;

  get alive(): boolean {
    return !this.exited && !this.doomed;
  }

  /** Running one invocation and none waiting: another may be sent now. */
  get canQueue(): boolean {
    return this.alive && this.pending.length === 1;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Starts a worker and loads the handler; rejects with HandlerLoadError when it does not load. */
  static start(settings: WorkerSettings): Promise<HandlerWorker> {
    const child = fork(settings.runnerPath, [], {
      cwd: settings.cwd,
      env: settings.env,
      execArgv: ['--enable-source-maps', ...(settings.memoryMb ? [`--max-old-space-size=${settings.memoryMb}`] : [])],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // Structured clone: the JSON payload string crosses as it is, not escaped into more JSON.
      serialization: 'advanced',
    });
    const memory = { exhausted: false };
    forwardLines(child.stdout, settings.onOutput);
    forwardLines(child.stderr, stderrFilter(settings.onOutput, memory));
    return new Promise((resolve, reject) => {
      const fail = (error: HandlerLoadError): void => {
        cleanup();
        child.kill('SIGKILL');
        reject(error);
      };
      const onMessage = (message: FromWorker): void => {
        if (message.type === 'ready') {
          cleanup();
          resolve(worker);
        } else if (message.type === 'load-error') {
          fail(new HandlerLoadError(message.kind, message.message));
        } else if (message.type === 'crash') {
          fail(new HandlerLoadError('init', `${message.error.errorType}: ${message.error.errorMessage}`));
        }
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
        fail(new HandlerLoadError('exit', `exited while loading (${signal ? `signal ${signal}` : `exit status ${code}`})`));
      };
      const onError = (error: Error): void => fail(new HandlerLoadError('exit', `could not start: ${error.message}`));
      const timer = setTimeout(() => {
        fail(new HandlerLoadError('timeout', `did not finish loading within ${initTimeoutMs(settings.timeoutMs) / 1000} s`));
      }, initTimeoutMs(settings.timeoutMs));
      const cleanup = (): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        child.off('error', onError);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.once('error', onError);
      const worker = new HandlerWorker(child, settings, memory);
      const load: ToWorker = {
        type: 'load',
        modulePath: settings.modulePath,
        display: settings.display,
        ...(settings.exportName ? { exportName: settings.exportName } : {}),
      };
      child.send(load);
    });
  }

  /**
   * Sends an invocation; with one running already it waits in the process (its timeout counts
   * from when the running one ends). Resolves NOT_STARTED when the process died before running it.
   */
  invoke(requestId: string, payload: string, context: StaticContext): Promise<InvokeOutcome | typeof NOT_STARTED> {
    if (!this.alive || !this.child.connected) {
      return Promise.resolve({ ok: false, error: { errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited before the invocation' }, crash: 'exit' });
    }
    if (this.pending.length >= 2) throw new Error('a worker runs one invocation and keeps at most one waiting');
    const { timeoutMs } = this.settings;
    return new Promise((resolve) => {
      const entry: Pending = { requestId, resolve };
      this.pending.push(entry);
      if (this.pending.length === 1) this.startClock(entry);
      const message: ToWorker = { type: 'invoke', requestId, payload, timeoutMs, context };
      this.child.send(message, (error) => {
        if (error) this.settle({ ok: false, error: { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited: ${error.message}` }, crash: 'exit' });
      });
    });
  }

  private startClock(entry: Pending): void {
    const { timeoutMs } = this.settings;
    entry.timer = setTimeout(() => {
      if (entry.answer) return;
      this.settle({
        ok: false,
        error: { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds` },
        crash: 'timeout',
      });
      this.child.kill('SIGKILL');
    }, timeoutMs);
  }

  /** The running invocation ends with `outcome`; the waiting one runs next, or, after a crash, comes back unrun. */
  private settle(outcome: InvokeOutcome): void {
    if (!outcome.ok && outcome.crash) this.doomed = true;
    const running = this.pending.shift();
    if (!running) return;
    clearTimeout(running.timer);
    this.lastDurationMs = running.answer === outcome ? running.durationMs : undefined;
    running.resolve(outcome);
    const next = this.pending[0];
    if (!next) return;
    if (this.doomed) {
      this.pending.length = 0;
      next.resolve(NOT_STARTED);
    } else if (next.answer) {
      // It finished too while this one's answer waited for the output pipes.
      this.settle(next.answer);
    } else {
      this.startClock(next);
    }
  }

  private onMessage(message: FromWorker): void {
    if (message.type === 'result') {
      const entry = this.pending.find((p) => p.requestId === message.requestId);
      if (!entry) return;
      const outcome: InvokeOutcome = message.ok
        ? { ok: true, response: message.payload === undefined ? null : JSON.parse(message.payload) }
        : { ok: false, error: message.error };
      // Output and result travel on different pipes: let output already written be read first,
      // so the handler's lines come before what the tool says about the batch.
      entry.answer = outcome;
      entry.durationMs = message.durationMs;
      setImmediate(() => {
        if (this.pending[0] === entry) this.settle(outcome);
      });
    } else if (message.type === 'crash') {
      const crash = message.error.errorType === 'Runtime.UnhandledPromiseRejection' ? 'rejection' : 'uncaught';
      this.settleAnswered();
      this.settle({ ok: false, error: message.error, crash });
    }
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.exited = true;
    if (ABORTED(code, signal) && !this.memory.exhausted) {
      // V8's report may still be in the pipe: read it before saying why the process died.
      const timer = setTimeout(() => this.settleExit(code, signal), 200);
      void this.closed.then(() => {
        clearTimeout(timer);
        this.settleExit(code, signal);
      });
      return;
    }
    this.settleExit(code, signal);
  }

  private settleExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.memory.exhausted) {
      this.settleAnswered();
      this.settle({
        ok: false,
        error: {
          errorType: 'Runtime.OutOfMemory',
          errorMessage: `Runtime exited with error: out of memory (the handler's heap passed --memory ${this.settings.memoryMb ?? 'the'} MB)`,
        },
        crash: 'memory',
      });
      return;
    }
    const reason = signal
      ? `Runtime exited with error: signal: ${signal.toLowerCase().replace(/^sig/, '')}`
      : code === 0 ? 'Runtime exited without providing a reason' : `Runtime exited with error: exit status ${code}`;
    this.settleAnswered();
    this.settle({ ok: false, error: { errorType: 'Runtime.ExitError', errorMessage: reason }, crash: 'exit' });
  }

  /**
   * Answers already received stand, even when the process dies before they are delivered: the
   * first unanswered invocation is the one that was running (one waiting behind it never ran).
   */
  private settleAnswered(): void {
    while (this.pending[0]?.answer) this.settle(this.pending[0].answer);
  }

  /** Stops the process (SIGTERM first, like Lambda's shutdown; SIGKILL if it lingers) and drains its output. */
  async dispose(graceMs = 500): Promise<void> {
    if (!this.exited) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      await this.closed;
      clearTimeout(timer);
    }
    await this.closed;
  }
}
