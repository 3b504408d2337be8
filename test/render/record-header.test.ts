import { stripVTControlCharacters } from 'node:util';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { recordHeader, shortShardId, type HeaderOptions } from '../../src/render/record-header.js';
import { formatKeys } from '../../src/render/format-value.js';
import { textWidth } from '../../src/render/text-width.js';
import type { StreamRecord } from '../../src/records/record.js';
import { record } from './fixtures.js';

const plain = new Chalk({ level: 0 });
const header = (r: StreamRecord, options: HeaderOptions): string[] => recordHeader(r, r.keys, plain, options);

/** The README's TTL example. */
const ttl = record({
  eventName: 'REMOVE',
  time: new Date('2026-11-26T21:48:00Z'),
  keys: { pk: { S: 'session#42' }, sk: { S: 'token' } },
  sequenceNumber: '000000000000000000103',
  userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' },
});
const modify = record({ eventName: 'MODIFY' });
/** Sequence numbers run to 40 digits on AWS. */
const longSequence = '4000000000000000000012345678901234567890';

describe('recordHeader', () => {
  it('shows every part on one line when there is room, or no width is given', () => {
    const whole = '2026-11-26T21:48:00Z  REMOVE (TTL)  Users  pk=session#42 sk=token  shard 3f9a1c2e  seq 000000000000000000103';
    expect(header(ttl, {})).toEqual([whole]);
    expect(header(ttl, { width: 120 })).toEqual([whole]);
  });

  describe('at 80 columns', () => {
    it('drops the table name first, then the shard id', () => {
      expect(header(modify, { width: 80 })).toEqual(['2024-05-01T10:00:05Z  MODIFY  pk=alice sk=profile  seq 000000000000000000101']);
    });

    it('then shortens the time to the time of day, keeping keys and sequence number whole', () => {
      expect(header(ttl, { width: 80 })).toEqual(['21:48:00Z  REMOVE (TTL)  pk=session#42 sk=token  seq 000000000000000000103']);
    });

    it('keeps the table name when the output mixes tables', () => {
      expect(header(modify, { width: 80, keepTable: true })).toEqual(['10:00:05Z  MODIFY  Users  pk=alice sk=profile  seq 000000000000000000101']);
    });

    it('moves a 40-digit sequence number to a second line rather than cut it', () => {
      expect(header({ ...modify, sequenceNumber: longSequence }, { width: 80 })).toEqual([
        '2024-05-01T10:00:05Z  MODIFY  Users  pk=alice sk=profile',
        `shard 3f9a1c2e  seq ${longSequence}`,
      ]);
    });
  });

  describe('at 60 columns', () => {
    it('takes two lines, the second for shard id and sequence number', () => {
      expect(header(modify, { width: 60 })).toEqual([
        '2024-05-01T10:00:05Z  MODIFY  Users  pk=alice sk=profile',
        'shard 3f9a1c2e  seq 000000000000000000101',
      ]);
      expect(header({ ...modify, sequenceNumber: longSequence }, { width: 60 })).toEqual([
        '2024-05-01T10:00:05Z  MODIFY  Users  pk=alice sk=profile',
        `shard 3f9a1c2e  seq ${longSequence}`,
      ]);
    });

    it('drops the same parts in the same order on each of the two lines, and lets keys wider than that overflow whole', () => {
      const order = record({ eventName: 'MODIFY', keys: { pk: { S: 'USER#0001' }, sk: { S: 'ORDER#2026-12-02#0042' } } });
      expect(header({ ...order, sequenceNumber: longSequence }, { width: 60 })).toEqual([
        '10:00:05Z  MODIFY  pk=USER#0001 sk=ORDER#2026-12-02#0042',
        `shard 3f9a1c2e  seq ${longSequence}`,
      ]);
      expect(header({ ...order, sequenceNumber: longSequence }, { width: 50 })).toEqual([
        '10:00:05Z  MODIFY  pk=USER#0001 sk=ORDER#2026-12-02#0042',
        `seq ${longSequence}`,
      ]);
    });
  });

  it('never cuts keys or the sequence number, and stays within the width whenever they fit', () => {
    const records = [ttl, modify, { ...modify, sequenceNumber: longSequence }];
    for (const r of records) {
      for (let width = 30; width <= 140; width++) {
        const lines = header(r, { width });
        const text = lines.join('\n');
        expect(text).toContain(formatKeys(r.keys));
        expect(text).toContain(`seq ${r.sequenceNumber}`);
        expect(text).not.toContain('…');
        const fits = (part: string): boolean => textWidth(part) <= width;
        lines.forEach((line) => {
          if (fits(`10:00:05Z  REMOVE (TTL)  ${formatKeys(r.keys)}`) && fits(`seq ${r.sequenceNumber}`)) {
            expect(textWidth(line)).toBeLessThanOrEqual(width);
          }
        });
      }
    }
  });

  it('styles the parts when colour is on, and measures without the colour codes', () => {
    const lines = recordHeader(modify, modify.keys, new Chalk({ level: 1 }), { width: 80 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('\u001b[33m');
    expect(stripVTControlCharacters(lines[0]!)).toBe('2024-05-01T10:00:05Z  MODIFY  pk=alice sk=profile  seq 000000000000000000101');
  });
});

describe('shortShardId', () => {
  it('keeps the distinctive tail, or a shard id that does not follow the usual pattern whole', () => {
    expect(shortShardId('shardId-00000001714557600000-3f9a1c2e')).toBe('3f9a1c2e');
    expect(shortShardId('weird')).toBe('weird');
  });
});
