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

/**
 * Where a scan under way is kept: a checkpoint file (with the table, when it holds the scans of
 * several), or a consumer group's lease table.
 */
export type ScanKeeper = { checkpoint: string; table?: string } | { leaseTable: string };

/** A checkpoint's (or a group's) scan was begun with another number of segments than asked for now. */
export class ScanSegmentsMismatchError extends Error implements ExitCodeCarrier {
  override readonly name = 'ScanSegmentsMismatchError';
  readonly exitCode = 2;
  constructor(readonly keeper: ScanKeeper, readonly saved: number, readonly asked: number) {
    super(`${'checkpoint' in keeper ? `checkpoint ${keeper.checkpoint}` : `lease table ${keeper.leaseTable}`} holds a scan in ${saved} segments, not ${asked}`);
  }
}
