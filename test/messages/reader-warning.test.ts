import { describe, expect, it } from 'vitest';
import { describeReaderWarning } from '../../src/messages/reader-warning.js';

describe('describeReaderWarning', () => {
  it('words the events that lose or skip records', () => {
    expect(describeReaderWarning({ type: 'trimmed', shardId: 'shardId-1', message: 'the records after sequence number 5 were trimmed' }))
      .toBe('warning: shard shardId-1: the records after sequence number 5 were trimmed');
    expect(describeReaderWarning({ type: 'checkpoint-shard-missing', shardId: 'shardId-2' })).toBe(
      'warning: shard shardId-2 from the checkpoint no longer exists (trimmed); its descendants are read from TRIM_HORIZON',
    );
  });

  it('stays quiet about progress', () => {
    expect(describeReaderWarning({ type: 'caught-up' })).toBeUndefined();
    expect(describeReaderWarning({ type: 'shard-end', shardId: 'shardId-1' })).toBeUndefined();
    expect(describeReaderWarning({ type: 'backoff', reason: 'throttled: ThrottlingException', delayMs: 100, attempt: 1 })).toBeUndefined();
  });
});
