import { describe, expect, it } from 'vitest';
import { describeScanError } from '../../src/messages/scan-error.js';
import { describeError } from '../../src/messages/describe-error.js';
import { ScanFailedError, ScanSegmentsMismatchError } from '../../src/scan/errors.js';

describe('describeScanError', () => {
  it('says what went wrong and what to do, in one line', () => {
    const denied = describeScanError(new ScanFailedError('Users', { kind: 'denied', detail: 'not authorized to perform dynamodb:Scan' }))!;
    expect(denied).toMatch(/^cannot scan table "Users": access denied .*dynamodb:Scan and dynamodb:DescribeTable/);
    const throttled = describeScanError(new ScanFailedError('Users', { kind: 'gave-up', failure: 'throttled', afterMs: 60_000 }))!;
    expect(throttled).toMatch(/still throttled after 60s of backoff\. Use fewer --scan-segments or a lower --concurrency.*--checkpoint to resume by segment/);
    const mismatch = describeScanError(new ScanSegmentsMismatchError({ checkpoint: 'u.cp' }, 4, 8))!;
    expect(mismatch).toMatch(/^checkpoint u\.cp holds a scan in 4 segments, not 8: rerun with --scan-segments 4/);
    // A checkpoint that holds the scans of several tables names the one that differs.
    const several = describeScanError(new ScanSegmentsMismatchError({ checkpoint: 'both.cp', table: 'Orders' }, 4, 8))!;
    expect(several).toMatch(/^checkpoint both\.cp holds a scan of "Orders" in 4 segments, not 8: rerun with --scan-segments 4/);
    const group = describeScanError(new ScanSegmentsMismatchError({ leaseTable: 'users-backfill' }, 4, 8))!;
    expect(group).toBe('lease table "users-backfill" holds the group\'s scan in 4 segments, not 8: rerun with --scan-segments 4 (or without it) to join it, or use another --group to scan again.');
    for (const text of [denied, throttled, mismatch, several, group]) expect(text).not.toContain('\n');
  });

  it('leaves other errors to others, and main gets the line without a stack', () => {
    expect(describeScanError(new Error('x'))).toBeUndefined();
    expect(describeError(new ScanFailedError('Users', { kind: 'denied', detail: 'no' }), false)).toBe(
      'ddbstream: cannot scan table "Users": access denied (no). --scan needs dynamodb:Scan and dynamodb:DescribeTable on the table.',
    );
  });
});
