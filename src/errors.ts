/**
 * Error classes that carry their exit code. `src/main.ts` is the one place that turns them into
 * a message and a process exit; everything else throws.
 */

/** Bad input from the user: wrong option, malformed value, unusable file. Exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
}

/** Something failed at run time (AWS said no, the endpoint is gone, a handler failed). Exit 1. */
export class RuntimeError extends Error {
  override readonly name = 'RuntimeError';
  readonly exitCode = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The run was stopped by a signal after a clean shutdown. Exit 128 + signal number. */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
  constructor(readonly signal: 'SIGINT' | 'SIGTERM') {
    super(`interrupted by ${signal}`);
  }
  get exitCode(): number {
    return this.signal === 'SIGINT' ? 130 : 143;
  }
}

/** The reader of stdout went away (`| head -1`): stop quietly, exit 0. */
export class OutputClosedError extends Error {
  override readonly name = 'OutputClosedError';
  readonly exitCode = 0;
  constructor() {
    super('output closed');
  }
}

export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError || error instanceof RuntimeError || error instanceof OutputClosedError) {
    return error.exitCode;
  }
  if (error instanceof InterruptedError) return error.exitCode;
  return 1;
}
