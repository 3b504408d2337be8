import path from 'node:path';
import { UsageError } from '../util/errors.js';
import { buildHandler, locateSyntaxError } from './handler-build.js';
import type { HandlerSpec } from './handler-spec.js';
import { MAPPING_DEFAULTS } from './options.js';
import { HandlerLoadError } from './handler-worker.js';
import { lambdaEnvironment, WorkerPool } from './worker-pool.js';

export interface StartOptions {
  runnerPath: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  timeoutMs: number;
  /** The function's memory: each worker's V8 heap limit (default 1024). */
  memoryMb?: number;
  /** Most invocations at once. */
  concurrency: number;
  onOutput: (line: string) => void;
}

export interface StartedHandler {
  pool: WorkerPool;
  /** Builds and loads the handler again; rejects with a UsageError (the old version keeps running) when it does not load. */
  reload(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds (TypeScript) and loads the handler in its first worker, so that every problem with it
 * (syntax, missing export, a throw while loading) is a usage error before any record is read.
 */
export async function startHandler(spec: HandlerSpec, options: StartOptions): Promise<StartedHandler> {
  const memoryMb = options.memoryMb ?? MAPPING_DEFAULTS.memory;
  let built = await buildHandler(spec);
  try {
    const pool = await WorkerPool.start({
      runnerPath: options.runnerPath,
      modulePath: built.modulePath,
      ...(spec.exportName ? { exportName: spec.exportName } : {}),
      display: spec.display,
      env: lambdaEnvironment(spec.functionName, options.env, memoryMb),
      memoryMb,
      cwd: options.cwd,
      timeoutMs: options.timeoutMs,
      onOutput: options.onOutput,
      functionName: spec.functionName,
      size: options.concurrency,
    });
    return {
      pool,
      reload: async () => {
        const next = await buildHandler(spec);
        try {
          await pool.reload(next.modulePath);
        } catch (error) {
          await next.dispose();
          if (error instanceof HandlerLoadError) throw await loadErrorToUsage(spec, error, options.cwd);
          throw error;
        }
        const previous = built;
        built = next;
        // Workers of the old version imported their bundle when they started: it can go now.
        await previous.dispose();
      },
      close: async () => {
        await pool.close();
        await built.dispose();
      },
    };
  } catch (error) {
    await built.dispose();
    if (error instanceof HandlerLoadError) throw await loadErrorToUsage(spec, error, options.cwd);
    throw error;
  }
}

async function loadErrorToUsage(spec: HandlerSpec, error: HandlerLoadError, cwd: string): Promise<UsageError> {
  const name = spec.display;
  switch (error.kind) {
    case 'syntax': {
      const located = /\bat \S+:\d+$/.test(error.message) ? undefined : await locateSyntaxError(spec.file, cwd);
      const detail = located ? located.replace(`${path.relative(cwd, spec.file)}:`, `line `) : error.message;
      return new UsageError(`handler ${name} has a syntax error: ${detail}`);
    }
    case 'no-export':
      return new UsageError(`handler ${name} ${error.message}. Name the export with --handler-export NAME or FILE.EXPORT.`);
    case 'not-function':
      return new UsageError(`handler ${name}: ${error.message}.`);
    case 'import':
      return new UsageError(`handler ${name} does not load: ${error.message}`);
    case 'init':
      return new UsageError(`handler ${name} threw while loading: ${error.message}`);
    default:
      return new UsageError(`handler ${name} ${error.message}`);
  }
}
