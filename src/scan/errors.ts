import type { ExitCodeCarrier } from '../util/errors.js';
import type { RetryKind } from '../stream/types.js';

/** Why a table could not be scanned. */
export type ScanProblem =
  | { kind: 'denied'; detail: string }
  | { kind: 'gave-up'; failure: RetryKind; afterMs: number };

/**
 * The table could not be scanned: no permission, or throttling (or failures) outlasted the
 * give-up time. Facts only; `messages/scan-error.ts` words it.
 */
export class ScanFailedError extends Error implements ExitCodeCarrier {
  override readonly name = 'ScanFailedError';
  readonly exitCode = 1;
  constructor(readonly table: string, readonly problem: ScanProblem, options?: { cause?: unknown }) {
    super(`scan of ${table} failed: ${problem.kind}`, options);
  }
}

/** A checkpoint's scan was made with another number of segments than asked for now. */
export class ScanSegmentsMismatchError extends Error implements ExitCodeCarrier {
  override readonly name = 'ScanSegmentsMismatchError';
  readonly exitCode = 2;
  constructor(readonly path: string, readonly saved: number, readonly asked: number) {
    super(`checkpoint ${path} holds a scan in ${saved} segments, not ${asked}`);
  }
}
