import { describe, expect, it } from 'vitest';
import { entryText, gapText, noticeText } from '../../src/ui/log-text.js';
import { renderRecord } from '../../src/render/record-text.js';
import { record } from '../render/fixtures.js';

describe('log text', () => {
  it('lays a record out as its rendered lines and a blank line', () => {
    const r = record({ eventName: 'INSERT', newImage: { pk: { S: 'alice' } } });
    const options = { mode: 'diff' as const, color: true, width: 80 };
    expect(entryText({ kind: 'record', record: r, receivedAt: 0 }, options)).toBe(renderRecord(r, options).join('\n') + '\n\n');
  });

  it('shows control sequences in a notice as visible escapes, keeping its own colour', () => {
    expect(noticeText('shard x\u001b[2J\u009b2J\u001b]0;title\u0007', true))
      .toBe('\u001b[33m… shard x\\u001b[2J\\u009b2J\\u001b]0;title\\u0007\u001b[39m\n\n');
  });

  it('words the gap lines, with thousands separated for the new one', () => {
    expect(gapText({ reason: 'paused', count: 1 }, 5000, false)).toBe('… 1 record not shown: while paused only the latest 5000 are kept\n\n');
    expect(gapText({ reason: 'behind', count: 1234 }, 5000, false)).toBe('… 1,234 records dropped: the terminal could not keep up\n\n');
    expect(noticeText('hello', true)).toBe('\u001b[33m… hello\u001b[39m\n\n');
  });
});
