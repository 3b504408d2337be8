import { ScanFailedError, ScanSegmentsMismatchError } from '../scan/errors.js';

/** The one line for a backfill's scan errors; undefined for any other error. */
export function describeScanError(error: unknown): string | undefined {
  if (error instanceof ScanSegmentsMismatchError) {
    const { keeper, saved, asked } = error;
    if ('leaseTable' in keeper) {
      return `lease table "${keeper.leaseTable}" holds the group's scan in ${saved} segments, not ${asked}: rerun with --scan-segments ${saved} (or without it) to join it, or use another --group to scan again.`;
    }
    const of = keeper.table !== undefined ? ` of "${keeper.table}"` : '';
    return `checkpoint ${keeper.checkpoint} holds a scan${of} in ${saved} segments, not ${asked}: rerun with --scan-segments ${saved} (or without it) to resume it, or move the checkpoint away to scan again.`;
  }
  if (!(error instanceof ScanFailedError)) return undefined;
  const { table, problem } = error;
  if (problem.kind === 'denied') {
    return `cannot scan table "${table}": access denied (${problem.detail}). --scan needs dynamodb:Scan and dynamodb:DescribeTable on the table.`;
  }
  const seconds = problem.afterMs >= 10_000 ? Math.round(problem.afterMs / 1000) : Math.round(problem.afterMs / 100) / 10;
  switch (problem.failure) {
    case 'throttled':
      return `the scan of "${table}" was still throttled after ${seconds}s of backoff. Use fewer --scan-segments or a lower --concurrency, or raise the table's read capacity, then rerun (with --checkpoint to resume by segment).`;
    case 'unreachable':
      return `the endpoint stopped answering during the scan of "${table}" and did not come back within ${seconds}s. Check the endpoint or network, then rerun (with --checkpoint to resume by segment).`;
    case 'server-error':
      return `the service kept failing for ${seconds}s during the scan of "${table}". Rerun later (with --checkpoint to resume by segment).`;
  }
}
