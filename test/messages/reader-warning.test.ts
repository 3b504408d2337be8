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

  it('with --debug, says why a shard was read again from TRIM_HORIZON, and when every shard caught up', () => {
    const reopened = { type: 'empty-shard-reopened', shardId: 'shardId-1', startedAt: 'LATEST' } as const;
    expect(describeReaderWarning(reopened)).toBeUndefined();
    const line = describeReaderWarning(reopened, true);
    expect(line).toMatch(/^debug: shard shardId-1: the iterator taken at LATEST while the shard was empty was refused as trimmed/);
    expect(line).toContain('nothing is lost: reading again from TRIM_HORIZON');
    expect(line).not.toContain('\n');
    expect(describeReaderWarning({ type: 'caught-up' }, true)).toBe('debug: every shard is read to its latest record; polling for new ones');
  });

  it('stays quiet about progress', () => {
    expect(describeReaderWarning({ type: 'caught-up' })).toBeUndefined();
    expect(describeReaderWarning({ type: 'shard-end', shardId: 'shardId-1' })).toBeUndefined();
    expect(describeReaderWarning({ type: 'backoff', reason: 'throttled: ThrottlingException', delayMs: 100, attempt: 1 })).toBeUndefined();
  });
});

describe('describeReaderWarning on text from outside', () => {
  it('shows control characters in a service message instead of passing them to the terminal', () => {
    const line = describeReaderWarning({ type: 'trimmed', shardId: 'shardId-1', message: 'gone\u001b]0;owned\u0007 \u009b2J' });
    expect(line).toBe('warning: shard shardId-1: gone\\u001b]0;owned\\u0007 \\u009b2J');
  });
});
