/**
 * Error classes that carry their exit code. `src/main.ts` is the one place that turns them into
 * a message and a process exit; everything else throws.
 */

import { constants } from 'node:os';

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

/** The signals that stop a run: Ctrl-C, and a polite `kill`. */
export type InterruptSignal = 'SIGINT' | 'SIGTERM';

/** 128 + the signal's number (130 for SIGINT, 143 for SIGTERM): what a shell reports for a process a signal ended. */
export function interruptedExitCode(signal: InterruptSignal): number {
  return 128 + constants.signals[signal];
}

/** The run was stopped by a signal after a clean shutdown. */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
  constructor(readonly signal: InterruptSignal) {
    super(`interrupted by ${signal}`);
  }
  get exitCode(): number {
    return interruptedExitCode(this.signal);
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

/**
 * How the typed errors of lower layers (the stream's, for one) say who is at fault without
 * extending UsageError or RuntimeError, whose messages are meant for the user as they are:
 * 2 when the user can fix the input, 1 when the run failed.
 */
export interface ExitCodeCarrier {
  readonly exitCode: 1 | 2;
}

function carriesExitCode(error: unknown): error is ExitCodeCarrier {
  const code = (error as Partial<ExitCodeCarrier> | undefined)?.exitCode;
  return error instanceof Error && (code === 1 || code === 2);
}

export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError || error instanceof RuntimeError || error instanceof OutputClosedError) {
    return error.exitCode;
  }
  if (error instanceof InterruptedError) return error.exitCode;
  if (carriesExitCode(error)) return error.exitCode;
  return 1;
}
