import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { BIN } from '../helpers/cli.js';

/**
 * Every line of an export's stdout as parsed JSON. Fails unless the text is whole lines of JSON
 * (the last one ended by a newline), which is what `jq` and line readers rely on.
 */
export function parseNdjson<T = Record<string, unknown>>(text: string): T[] {
  if (text === '') return [];
  if (!text.endsWith('\n')) throw new Error(`output does not end with a newline: …${JSON.stringify(text.slice(-80))}`);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line, index) => {
      try {
        return JSON.parse(line) as T;
      } catch (error) {
        throw new Error(`line ${index + 1} is not JSON (${(error as Error).message}): ${line.slice(0, 200)}`, { cause: error });
      }
    });
}

export interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  /** Complete stdout lines so far. */
  lines: string[];
  /** stdout as written, byte for byte (a last line without its newline included). */
  stdout(): string;
  stderr(): string;
  /** Resolves with the first line for which `test` holds (also one already seen). */
  waitForLine(test: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/** The built CLI as a running process, for tests that act while it runs (signals, pipes). */
export function startCli(args: string[], env: NodeJS.ProcessEnv): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end();
  const lines: string[] = [];
  let stderr = '';
  let stdout = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const waiters = new Set<{ test: (line: string) => boolean; resolve: (line: string) => void }>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const waiter of waiters) {
      if (waiter.test(line)) {
        waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  });
  // `at` is when the process ended; the promise settles once its output is all read too.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => {
    let at = 0;
    child.once('exit', () => (at = Date.now()));
    child.once('close', (code, signal) => resolve({ code, signal, at: at || Date.now() }));
  });
  // A test that fails half-way must not leave the process behind.
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  void exited.then(() => clearTimeout(guard));
  return {
    child,
    lines,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForLine(test, timeoutMs = 15_000) {
      const seen = lines.find(test);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter = { test, resolve };
        waiters.add(waiter);
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching line within ${timeoutMs} ms; stderr: ${stderr}`));
        }, timeoutMs);
        waiter.resolve = (line) => {
          clearTimeout(timer);
          resolve(line);
        };
        void exited.then(() => {
          if (!waiters.has(waiter)) return;
          waiters.delete(waiter);
          clearTimeout(timer);
          reject(new Error(`the process exited before a matching line; stderr: ${stderr}`));
        });
      });
    },
  };
}
