import { describe, expect, it } from 'vitest';
import { describeLostRecords, describeTrimmedPoint, type TrimmedPoint } from '../../src/stream/trim-point.js';

describe('trim points', () => {
  it.each<[TrimmedPoint, string, string]>([
    [{ kind: 'after-read', lastRead: '900', startedAt: { type: 'TRIM_HORIZON' } }, 'the position after 900', 'after sequence number 900'],
    [
      { kind: 'after-read', lastRead: undefined, startedAt: { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: '5' } },
      'the position after AT_SEQUENCE_NUMBER 5',
      'from where this run began (AT_SEQUENCE_NUMBER 5)',
    ],
    [{ kind: 'sequence', position: { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '7' } }, 'sequence number 7', 'after sequence number 7'],
    [{ kind: 'sequence', position: { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: '7' } }, 'sequence number 7', 'from sequence number 7'],
    [{ kind: 'shard-gone', position: { type: 'LATEST' } }, 'the records from LATEST', 'from LATEST'],
  ])('%j: what was asked for, and where the loss begins', (point, asked, lost) => {
    expect(describeTrimmedPoint(point)).toBe(asked);
    expect(describeLostRecords(point)).toBe(lost);
  });
});
