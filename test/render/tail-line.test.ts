import { describe, expect, it } from 'vitest';
import { plainRecordText } from '../../src/render/tail-line.js';
import { record } from './fixtures.js';

describe('plainRecordText', () => {
  it('writes records as blocks of lines with a blank line between them', () => {
    const options = { mode: 'diff' as const, color: false };
    const insert = record({ eventName: 'INSERT', newImage: { pk: { S: 'alice' }, sk: { S: 'profile' } } });
    const remove = record({ eventName: 'REMOVE', sequenceNumber: '000000000000000000102', oldImage: { pk: { S: 'alice' }, sk: { S: 'profile' } } });
    const output = plainRecordText(insert, options, true) + plainRecordText(remove, options, false);
    expect(output).toBe([
      '2024-05-01T10:00:05Z  INSERT  Users  pk=alice sk=profile  shard 3f9a1c2e  seq 000000000000000000101',
      '  pk  "alice"',
      '  sk  "profile"',
      '',
      '2024-05-01T10:00:05Z  REMOVE  Users  pk=alice sk=profile  shard 3f9a1c2e  seq 000000000000000000102',
      '  pk  "alice"',
      '  sk  "profile"',
      '',
    ].join('\n'));
  });
});
