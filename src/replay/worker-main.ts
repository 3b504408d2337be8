/**
 * The child process that hosts the user's handler, one invocation at a time, warm between them
 * like a Lambda execution environment. It follows the Node.js runtime's rules: a returned promise
 * settles the invocation; otherwise the callback (or context.succeed/fail/done) does, and with
 * `callbackWaitsForEmptyEventLoop` the response waits until the event loop is empty; a handler
 * that neither returns a promise nor calls back succeeds with null once the loop is empty.
 */
import { pathToFileURL } from 'node:url';
import type { FromWorker, FunctionErrorBody, LoadFailure, ToWorker } from './worker-protocol.js';

type Handler = (event: unknown, context: unknown, callback: (error?: unknown, result?: unknown) => void) => unknown;

let handler: Handler | undefined;
let handlerIsAsync = false;
let currentRequestId: string | undefined;
/** Runs once the event loop has nothing left to do (Lambda's "before exit" slot: one at a time). */
let onLoopEmpty: (() => void) | undefined;

function send(message: FromWorker): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, undefined, () => resolve());
  });
}

function errorBody(error: unknown): FunctionErrorBody {
  if (error !== null && typeof error === 'object' && 'message' in error) {
    const e = error as { name?: unknown; message?: unknown; stack?: unknown };
    return {
      errorType: typeof e.name === 'string' && e.name ? e.name : 'Error',
      errorMessage: String(e.message),
      ...(typeof e.stack === 'string' ? { stack: e.stack } : {}),
    };
  }
  if (typeof error === 'string') return { errorType: 'string', errorMessage: error };
  let text: string;
  try {
    text = JSON.stringify(error) ?? String(error);
  } catch {
    text = String(error);
  }
  return { errorType: typeof error, errorMessage: text };
}

/** While waiting for the loop to drain, the IPC channel must not be what keeps it alive. */
function whenLoopEmpty(action: () => void): void {
  onLoopEmpty = action;
  process.channel?.unref();
}

function clearLoopWait(): void {
  onLoopEmpty = undefined;
  process.channel?.ref();
}

process.on('beforeExit', () => {
  const action = onLoopEmpty;
  if (!action) return;
  clearLoopWait();
  action();
});

function describeLoadError(error: unknown): { kind: LoadFailure; message: string } {
  const body = errorBody(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (body.errorType === 'SyntaxError') {
    // CommonJS puts the failing file and line first in a syntax error's stack; ESM does not.
    const where = /^((?:file:\/\/)?(?:\/|[A-Za-z]:)[^\n]*?:\d+)\n/.exec(body.stack ?? '');
    return { kind: 'syntax', message: `SyntaxError: ${body.errorMessage}${where ? ` at ${where[1]}` : ''}` };
  }
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    return { kind: 'import', message: `${body.errorMessage.split('\n')[0]}` };
  }
  return { kind: 'init', message: `${body.errorType}: ${body.errorMessage}` };
}

function lookup(root: unknown, exportPath: string): unknown {
  let value: unknown = root;
  for (const key of exportPath.split('.')) {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function functionExports(mod: Record<string, unknown>): string[] {
  const names = new Set<string>();
  for (const [name, value] of Object.entries(mod)) {
    if (name !== 'default' && typeof value === 'function') names.add(name);
  }
  const fallback = mod.default;
  if (fallback && typeof fallback === 'object') {
    for (const [name, value] of Object.entries(fallback)) if (typeof value === 'function') names.add(name);
  }
  if (typeof fallback === 'function') names.add('default');
  return [...names];
}

async function load(message: Extract<ToWorker, { type: 'load' }>): Promise<void> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(message.modulePath).href)) as Record<string, unknown>;
  } catch (error) {
    await send({ type: 'load-error', ...describeLoadError(error) });
    process.exit(1);
  }
  const available = (): string => {
    const names = functionExports(mod);
    return names.length ? `its function exports: ${names.join(', ')}` : 'it exports no functions';
  };
  let found: unknown;
  let name: string;
  if (message.exportName) {
    name = message.exportName;
    found = lookup(mod, name);
    if (found === undefined) found = lookup(mod.default, name);
  } else {
    name = 'handler';
    found = mod.handler ?? lookup(mod.default, 'handler') ?? (typeof mod.default === 'function' ? mod.default : undefined);
  }
  if (found === undefined) {
    const what = message.exportName ? `no export "${name}"` : 'no export "handler" and no default-exported function';
    await send({ type: 'load-error', kind: 'no-export', message: `has ${what} (${available()})` });
    process.exit(1);
  }
  if (typeof found !== 'function') {
    await send({ type: 'load-error', kind: 'not-function', message: `export "${name}" is a ${found === null ? 'null' : typeof found}, not a function` });
    process.exit(1);
  }
  handler = found as Handler;
  handlerIsAsync = handler.constructor?.name === 'AsyncFunction';
  await send({ type: 'ready', arity: handler.length });
}

/** Invocations sent while one runs (at most one): each starts when the one before it ends. */
const waiting: Array<Extract<ToWorker, { type: 'invoke' }>> = [];

/** Between one invocation's end and the next one's start (a turn of the loop). */
let starting = false;

function invokeWhenFree(message: Extract<ToWorker, { type: 'invoke' }>): void {
  waiting.push(message);
  startNext();
}

function startNext(): void {
  if (currentRequestId !== undefined || starting) return;
  const next = waiting.shift();
  if (next) invoke(next);
}

function resultMessage(requestId: string, durationMs: number, outcome: { ok: true; result: unknown } | { ok: false; error: unknown }): FromWorker {
  if (!outcome.ok) return { type: 'result', requestId, durationMs, ok: false, error: errorBody(outcome.error) };
  try {
    const payload = outcome.result === undefined ? undefined : JSON.stringify(outcome.result);
    return { type: 'result', requestId, durationMs, ok: true, payload };
  } catch (error) {
    return { type: 'result', requestId, durationMs, ok: false, error: { errorType: 'Runtime.MarshalError', errorMessage: `Unable to stringify response body: ${errorBody(error).errorMessage}` } };
  }
}

function invoke(message: Extract<ToWorker, { type: 'invoke' }>): void {
  const { requestId } = message;
  const deadline = Date.now() + message.timeoutMs;
  currentRequestId = requestId;
  const started = performance.now();
  let finished = false;
  let waitsForEmptyLoop = true;

  const finish = (outcome: { ok: true; result: unknown } | { ok: false; error: unknown }): void => {
    if (finished) return;
    finished = true;
    clearLoopWait();
    currentRequestId = undefined;
    const durationMs = performance.now() - started;
    void send(resultMessage(requestId, durationMs, outcome));
    // The next one starts on a fresh turn of the loop, not inside this handler's call stack.
    if (waiting.length) {
      starting = true;
      setImmediate(() => {
        starting = false;
        startNext();
      });
    }
  };
  const succeed = (result: unknown): void => finish({ ok: true, result });
  const fail = (error: unknown): void => finish({ ok: false, error: error ?? 'handled' });

  const context = {
    ...message.context,
    awsRequestId: requestId,
    get callbackWaitsForEmptyEventLoop(): boolean {
      return waitsForEmptyLoop;
    },
    set callbackWaitsForEmptyEventLoop(value: boolean) {
      waitsForEmptyLoop = value;
    },
    getRemainingTimeInMillis: (): number => Math.max(0, deadline - Date.now()),
    done: (error?: unknown, result?: unknown): void => (error !== undefined && error !== null ? fail(error) : succeed(result)),
    succeed,
    fail,
  };
  let calledBack = false;
  const callback = (error?: unknown, result?: unknown): void => {
    if (calledBack || finished) return;
    calledBack = true;
    if (error !== undefined && error !== null) return fail(error);
    if (!waitsForEmptyLoop) return succeed(result);
    whenLoopEmpty(() => succeed(result));
  };

  try {
    const result = handler!(JSON.parse(message.payload), context, callback);
    if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
      (result as Promise<unknown>).then(succeed, fail);
      // A promise that can never settle (nothing left on the loop) ends the invocation as Lambda does.
      if (!calledBack) {
        whenLoopEmpty(() => (handlerIsAsync
          ? fail({ name: 'Runtime.NodeJsExit', message: 'Runtime exited without providing a reason' })
          : succeed(null)));
      }
    } else if (!calledBack) {
      whenLoopEmpty(() => succeed(null));
    }
  } catch (error) {
    fail(error);
  }
}

async function crash(error: FunctionErrorBody, code: number): Promise<void> {
  await send({ type: 'crash', ...(currentRequestId ? { requestId: currentRequestId } : {}), error });
  process.exit(code);
}

// Lambda's runtime reports these and then exits; the tool starts a fresh worker.
process.on('uncaughtException', (error) => void crash(errorBody(error), 129));
process.on('unhandledRejection', (reason) => {
  const body = errorBody(reason);
  void crash({
    errorType: 'Runtime.UnhandledPromiseRejection',
    errorMessage: `${body.errorType}: ${body.errorMessage}`,
    ...(body.stack ? { stack: body.stack } : {}),
  }, 128);
});
process.on('disconnect', () => process.exit(0));

process.on('message', (message: ToWorker) => {
  if (message.type === 'load') void load(message);
  else if (message.type === 'invoke') invokeWhenFree(message);
});
