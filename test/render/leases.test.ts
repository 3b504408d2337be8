import { describe, expect, it } from 'vitest';
import { leaseSummary, renderLeases, type LeaseRow } from '../../src/render/leases.js';

const row = (leaseKey: string, state: LeaseRow['state'], leaseOwner?: string, parents: string[] = []): LeaseRow => ({
  leaseKey, state, leaseCounter: 5, checkpoint: state === 'finished' ? 'SHARD_END' : 'TRIM_HORIZON',
  checkpointSubSequenceNumber: 0, ownerSwitchesSinceCheckpoint: 0, parentShardIds: parents, ...(leaseOwner ? { leaseOwner } : {}),
});

describe('renderLeases', () => {
  it('shows a table and a summary of workers, finished, free and expired leases', () => {
    const rows = [row('s0', 'finished'), row('s1', 'held', 'a', ['s0']), row('s2', 'held', 'b', ['s0']), row('s3', 'expired', 'c'), row('s4', 'free')];
    expect(renderLeases(rows, 'table')).toEqual([
      'SHARD  PARENT  OWNER  COUNTER  CHECKPOINT    STATE',
      's0     -       -      5        SHARD_END     finished',
      's1     s0      a      5        TRIM_HORIZON  held',
      's2     s0      b      5        TRIM_HORIZON  held',
      's3     -       c      5        TRIM_HORIZON  expired',
      's4     -       -      5        TRIM_HORIZON  free',
      '',
      '3 workers (a: 1, b: 1, c: 1) · 5 leases · 1 finished · 1 free · 1 expired',
    ]);
  });

  it('counts one worker and one lease in the singular', () => {
    expect(leaseSummary([row('s1', 'held', 'a')])).toBe('1 worker (a: 1) · 1 lease · 0 finished · 0 free · 0 expired');
  });

  it('shows a scan segment\'s position for people in the table, as stored in pipes, and the scan\'s progress', () => {
    const segment: LeaseRow = { ...row('scan-segment-1-of-4', 'held', 'a'), checkpoint: '{"items":250,"after":{"pk":{"S":"x"}}}', checkpointText: '250 items scanned' };
    const scan = { startedAt: new Date('2026-11-26T22:30:00.000Z'), totalSegments: 4, done: 3 };
    const table = renderLeases([segment], 'table', scan);
    expect(table[1]).toBe('scan-segment-1-of-4  -       a      5        250 items scanned  held');
    expect(table.at(-1)).toBe('1 worker (a: 1) · 1 lease · 0 finished · 0 free · 0 expired · scan: 3/4 segments done (began 2026-11-26T22:30:00.000Z)');
    expect(renderLeases([segment], 'tsv', scan)[1]).toBe('scan-segment-1-of-4\t-\ta\t5\t{"items":250,"after":{"pk":{"S":"x"}}}\theld');
    expect(JSON.parse(renderLeases([segment], 'json', scan)[0]!)).toMatchObject({ leaseKey: 'scan-segment-1-of-4', checkpoint: '{"items":250,"after":{"pk":{"S":"x"}}}', state: 'held' });
  });
});
