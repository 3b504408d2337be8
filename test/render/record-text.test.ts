import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { assignTableColors } from '../../src/render/table-colors.js';
import { renderRecord, type RenderOptions } from '../../src/render/record-text.js';
import { textWidth } from '../../src/render/text-width.js';
import type { AttributeValue } from '@aws-sdk/client-dynamodb-streams';
import type { StreamRecord } from '../../src/records/record.js';
import { record } from './fixtures.js';

const plain: RenderOptions = { mode: 'diff', color: false };
const text = (r: StreamRecord, options: Partial<RenderOptions> = {}): string =>
  renderRecord(r, { ...plain, ...options }).map(stripVTControlCharacters).join('\n');

const alice = {
  pk: { S: 'alice' }, sk: { S: 'profile' },
  email: { S: 'alice@old.example' }, phone: { S: '+41 44 668 18 00' }, visits: { N: '41' },
};

describe('renderRecord: events with both images', () => {
  it('shows an INSERT as the new item, keys first', () => {
    expect(text(record({ eventName: 'INSERT', newImage: alice }))).toMatchInlineSnapshot(`
      "2024-05-01T10:00:05Z  INSERT  Users  pk=alice sk=profile  shard 3f9a1c2e  seq 000000000000000000101
        pk      "alice"
        sk      "profile"
        email   "alice@old.example"
        phone   "+41 44 668 18 00"
        visits  41"
    `);
  });

  it('shows a MODIFY as the changes, with an aligned path column', () => {
    const newImage = { pk: alice.pk, sk: alice.sk, email: { S: 'alice@new.example' }, nick: { S: 'al' }, visits: { N: '42' } };
    expect(text(record({ eventName: 'MODIFY', oldImage: alice, newImage }))).toMatchInlineSnapshot(`
      "2024-05-01T10:00:05Z  MODIFY  Users  pk=alice sk=profile  shard 3f9a1c2e  seq 000000000000000000101
        ~ email   "alice@old.example" → "alice@new.example"
        + nick    "al"
        - phone   "+41 44 668 18 00"
        ~ visits  41 → 42"
    `);
  });

  it('shows nested map, list and set changes by path', () => {
    const oldImage = {
      pk: alice.pk,
      profile: { M: { address: { M: { city: { S: 'Bern' }, zip: { N: '3000' } } } } },
      items: { L: [{ S: 'a' }, { M: { sku: { S: 'A1' }, qty: { N: '1' } } }] },
      tags: { SS: ['red', 'green'] },
      scores: { NS: ['1', '2'] },
    };
    const newImage = {
      pk: alice.pk,
      profile: { M: { address: { M: { city: { S: 'Zürich' }, zip: { N: '8001' } } } } },
      items: { L: [{ S: 'a' }, { M: { sku: { S: 'A1' }, qty: { N: '3' } } }, { S: 'c' }] },
      tags: { SS: ['green', 'blue'] },
      scores: { NS: ['1', '2', '3'] },
    };
    expect(text(record({ eventName: 'MODIFY', keys: { pk: alice.pk }, oldImage, newImage }))).toMatchInlineSnapshot(`
      "2024-05-01T10:00:05Z  MODIFY  Users  pk=alice  shard 3f9a1c2e  seq 000000000000000000101
        ~ items[1].qty          1 → 3
        + items[2]              "c"
        ~ profile.address.city  "Bern" → "Zürich"
        ~ profile.address.zip   3000 → 8001
        ~ scores                added <<3>>
        ~ tags                  added <<"blue">> removed <<"red">>"
    `);
  });

  it('says so when a MODIFY changed no attribute', () => {
    expect(text(record({ eventName: 'MODIFY', oldImage: alice, newImage: alice }))).toContain('(no attribute changed)');
  });

  it('shows whole old and new images in full mode', () => {
    const newImage = { ...alice, email: { S: 'alice@new.example' } };
    expect(text(record({ eventName: 'MODIFY', oldImage: alice, newImage }), { mode: 'full' })).toMatchInlineSnapshot(`
      "2024-05-01T10:00:05Z  MODIFY  Users  pk=alice sk=profile  shard 3f9a1c2e  seq 000000000000000000101
        old image:
          pk      "alice"
          sk      "profile"
          email   "alice@old.example"
          phone   "+41 44 668 18 00"
          visits  41
        new image:
          pk      "alice"
          sk      "profile"
          email   "alice@new.example"
          phone   "+41 44 668 18 00"
          visits  41"
    `);
  });

  it('shows a REMOVE as the old item', () => {
    expect(text(record({ eventName: 'REMOVE', oldImage: alice }))).toMatchInlineSnapshot(`
      "2024-05-01T10:00:05Z  REMOVE  Users  pk=alice sk=profile  shard 3f9a1c2e  seq 000000000000000000101
        pk      "alice"
        sk      "profile"
        email   "alice@old.example"
        phone   "+41 44 668 18 00"
        visits  41"
    `);
  });

  it('marks a REMOVE done by TTL, and only that one', () => {
    const ttl = record({
      eventName: 'REMOVE', oldImage: { pk: alice.pk, sk: alice.sk, expiresAt: { N: '1714557600' } },
      userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' },
    });
    expect(text(ttl)).toMatchInlineSnapshot(`
      "2024-05-01T10:00:05Z  REMOVE (TTL)  Users  pk=alice sk=profile  shard 3f9a1c2e  seq 000000000000000000101
        pk         "alice"
        sk         "profile"
        expiresAt  1714557600"
    `);
    expect(text(record({ eventName: 'REMOVE', oldImage: alice }))).not.toContain('TTL');
    expect(text(record({ eventName: 'REMOVE', oldImage: alice, userIdentity: { type: 'User', principalId: 'x' } }))).not.toContain('TTL');
  });
});

describe('renderRecord: view types without both images', () => {
  const newOnly = { pk: alice.pk, sk: alice.sk, email: { S: 'alice@new.example' } };

  it('NEW_IMAGE: a MODIFY says there is no diff and shows the new item', () => {
    expect(text(record({ eventName: 'MODIFY', streamViewType: 'NEW_IMAGE', newImage: newOnly }))).toMatchInlineSnapshot(`
      "2024-05-01T10:00:05Z  MODIFY  Users  pk=alice sk=profile  shard 3f9a1c2e  seq 000000000000000000101
        (a NEW_IMAGE stream has no old image, so there is no diff: the new item follows)
        pk     "alice"
        sk     "profile"
        email  "alice@new.example""
    `);
  });

  it('NEW_IMAGE: the same in full mode, never an invented old image', () => {
    const lines = text(record({ eventName: 'MODIFY', streamViewType: 'NEW_IMAGE', newImage: newOnly }), { mode: 'full' });
    expect(lines).toContain('has no old image');
    expect(lines).not.toContain('old image:');
    expect(lines).not.toMatch(/^ {2}[+~-] /m);
  });

  it('NEW_IMAGE: a REMOVE has only its keys', () => {
    expect(text(record({ eventName: 'REMOVE', streamViewType: 'NEW_IMAGE' }))).toMatchInlineSnapshot(`
      "2024-05-01T10:00:05Z  REMOVE  Users  pk=alice sk=profile  shard 3f9a1c2e  seq 000000000000000000101
        (a NEW_IMAGE stream has no old image for a REMOVE: only the keys above)"
    `);
  });

  it('OLD_IMAGE: a MODIFY shows the old item, an INSERT only its keys', () => {
    expect(text(record({ eventName: 'MODIFY', streamViewType: 'OLD_IMAGE', oldImage: alice }))).toMatchInlineSnapshot(`
      "2024-05-01T10:00:05Z  MODIFY  Users  pk=alice sk=profile  shard 3f9a1c2e  seq 000000000000000000101
        (an OLD_IMAGE stream has no new image, so there is no diff: the old item follows)
        pk      "alice"
        sk      "profile"
        email   "alice@old.example"
        phone   "+41 44 668 18 00"
        visits  41"
    `);
    expect(text(record({ eventName: 'INSERT', streamViewType: 'OLD_IMAGE' }))).toMatchInlineSnapshot(`
      "2024-05-01T10:00:05Z  INSERT  Users  pk=alice sk=profile  shard 3f9a1c2e  seq 000000000000000000101
        (an OLD_IMAGE stream has no new image for an INSERT: only the keys above)"
    `);
  });

  it('KEYS_ONLY: every event shows its keys and a note', () => {
    for (const eventName of ['INSERT', 'MODIFY', 'REMOVE'] as const) {
      const lines = renderRecord(record({ eventName, streamViewType: 'KEYS_ONLY' }), plain);
      expect(lines).toEqual([
        `2024-05-01T10:00:05Z  ${eventName}  Users  pk=alice sk=profile  shard 3f9a1c2e  seq 000000000000000000101`,
        '  (keys only: a KEYS_ONLY stream carries no item images)',
      ]);
    }
  });

  it('takes the view type from the options over the record', () => {
    const r = record({ eventName: 'MODIFY', streamViewType: undefined, newImage: newOnly });
    expect(text(r)).toContain('(this record has no old image, so there is no diff');
    expect(text(r, { viewType: 'NEW_IMAGE' })).toContain('(a NEW_IMAGE stream has no old image');
    expect(text(record({ eventName: 'INSERT', streamViewType: undefined }))).toContain('(keys only: this record carries no item images)');
  });
});

describe('renderRecord: values', () => {
  it('shows every DynamoDB type exactly', () => {
    const newImage = {
      pk: { S: 'alice' },
      big: { N: '12345678901234567890123456789012345678' },
      small: { N: '-0.000000000000000000000000000000000001' },
      blob: { B: new Uint8Array([0, 1, 2, 250]) },
      flag: { BOOL: false },
      nothing: { NULL: true },
      names: { SS: ['a', 'b "c"'] },
      nums: { NS: ['1', '2.5'] },
      blobs: { BS: [new Uint8Array([1])] },
      'home address': { M: { 'zip code': { N: '3000' }, city: { S: 'Bern' } } },
      list: { L: [{ S: 'x' }, { N: '1' }, { L: [] }, { M: {} }] },
      note: { S: 'line 1\nline 2' },
    };
    expect(text(record({ eventName: 'INSERT', keys: { pk: { S: 'alice' } }, newImage }))).toMatchInlineSnapshot(`
      "2024-05-01T10:00:05Z  INSERT  Users  pk=alice  shard 3f9a1c2e  seq 000000000000000000101
        pk              "alice"
        big             12345678901234567890123456789012345678
        blob            <binary 4 bytes: AAEC+g==>
        blobs           <<<binary 1 byte: AQ==>>>
        flag            false
        "home address"  {city: "Bern", "zip code": 3000}
        list            ["x", 1, [], {}]
        names           <<"a", "b \\"c\\"">>
        note            "line 1\\nline 2"
        nothing         null
        nums            <<1, 2.5>>
        small           -0.000000000000000000000000000000000001"
    `);
  });

  it('quotes key values that could be misread in the header', () => {
    const r = record({ eventName: 'REMOVE', keys: { pk: { S: 'a b' }, n: { N: '7' }, b: { B: new Uint8Array([255]) } } });
    expect(renderRecord(r, plain)[0]).toContain('pk="a b" n=7 b=/w==');
  });
});

describe('renderRecord: width', () => {
  const long = 'x'.repeat(200);
  const r = record({
    eventName: 'MODIFY',
    oldImage: { pk: alice.pk, bio: { S: long }, tags: { SS: ['a'.repeat(80)] } },
    newImage: { pk: alice.pk, bio: { S: long + 'y' }, tags: { SS: ['b'.repeat(80)] }, added: { S: long } },
  });

  it('cuts every line to the width, keeping the path column and both sides of a change', () => {
    const lines = renderRecord(r, { ...plain, width: 80 });
    for (const line of lines) expect(textWidth(line)).toBeLessThanOrEqual(80);
    expect(lines).toEqual([
      '2024-05-01T10:00:05Z  MODIFY  pk=alice sk=profile  seq 000000000000000000101',
      `  + added  "${'x'.repeat(67)}…`,
      `  ~ bio    "…${'x'.repeat(30)}" → "…${'x'.repeat(29)}y"`,
      `  ~ tags   added <<"${'b'.repeat(23)}… removed <<"${'a'.repeat(23)}…`,
    ]);
  });

  describe('a changed value cut to fit keeps its first difference in view', () => {
    /** The `~` line of a MODIFY that changed one attribute, rendered at `width` columns. */
    const changeLine = (name: string, from: string | AttributeValue, to: string | AttributeValue, width: number) => renderRecord(record({
      eventName: 'MODIFY', keys: { pk: alice.pk },
      oldImage: { pk: alice.pk, [name]: typeof from === 'string' ? { S: from } : from },
      newImage: { pk: alice.pk, [name]: typeof to === 'string' ? { S: to } : to },
    }), { ...plain, width }).find((line) => line.startsWith('  ~ '));

    it('cuts two timestamps before their common prefix, not after it', () => {
      expect(changeLine('lastModifiedAt', '2026-12-02T02:24:26.799Z', '2026-12-02T02:24:31.120Z', 50))
        .toBe('  ~ lastModifiedAt  "…24:26.799Z" → "…24:31.120Z"');
    });

    it('uses spare columns for more of what precedes the difference', () => {
      expect(changeLine('updatedAt', '2026-12-02T02:24:26.799Z', '2026-12-02T02:24:31.120Z', 50))
        .toBe('  ~ updatedAt  "…02:24:26.799Z" → "…02:24:31.120Z"');
    });

    it('cuts at both ends when what follows the difference is long too, at the end when the difference is early', () => {
      const from = 'order #1234 placed by ' + 'a'.repeat(40);
      const to = 'order #1239 placed by ' + 'a'.repeat(40);
      expect(changeLine('summary', from, to, 40)).toBe('  ~ summary  "…1234 plac… → "…1239 plac…');
      expect(changeLine('summary', from, to, 60)).toBe('  ~ summary  "order #1234 placed b… → "order #1239 placed b…');
    });

    it('keeps no leading digit of a number cut at the start, where it would read as part of the value', () => {
      expect(changeLine('total', { N: '1234567890123456789012345678901234567' }, { N: '1234567890123456789012345678901234568' }, 40))
        .toBe('  ~ total  …678901234567 → …678901234568');
    });
  });

  it('keeps a key longer than the terminal whole, with the sequence number on the next line', () => {
    const wideKeys = record({ eventName: 'REMOVE', keys: { pk: { S: 'k'.repeat(100) } } });
    const [head, position] = renderRecord(wideKeys, { ...plain, width: 100 });
    expect(head).toBe(`10:00:05Z  REMOVE  pk=${'k'.repeat(100)}`);
    expect(position).toBe('shard 3f9a1c2e  seq 000000000000000000101');
  });

  it('counts wide characters as two columns', () => {
    const cjk = record({ eventName: 'INSERT', keys: { pk: alice.pk }, newImage: { pk: alice.pk, name: { S: '漢'.repeat(100) } } });
    const lines = renderRecord(cjk, { ...plain, width: 40 });
    const body = lines.filter((line) => line.startsWith('  '));
    for (const line of body) expect(textWidth(line)).toBeLessThanOrEqual(40);
    expect(body[1]).toMatch(/^ {2}name {2}"漢+…$/);
  });

  it('cuts nothing without a width (--wide)', () => {
    const all = text(r);
    expect(all).toContain(long + 'y"');
    expect(all).not.toContain('…');
  });
});

describe('renderRecord: colour', () => {
  it('colours the event name by type and the diff signs by operation', () => {
    const insert = renderRecord(record({ eventName: 'INSERT', newImage: alice }), { ...plain, color: true });
    expect(insert[0]).toContain('\u001b[32m');
    const remove = renderRecord(record({ eventName: 'REMOVE', oldImage: alice }), { ...plain, color: true });
    expect(remove[0]).toContain('\u001b[31m');
    const modify = renderRecord(record({ eventName: 'MODIFY', oldImage: alice, newImage: { ...alice, nick: { S: 'al' } } }),
      { ...plain, color: true });
    expect(modify[0]).toContain('\u001b[33m');
    expect(modify[1]).toContain('\u001b[32m+\u001b[39m');
  });

  it('shows each table\'s name in its own colour when several tables share the output', () => {
    const tableColors = assignTableColors(['Users', 'Orders']);
    const users = renderRecord(record({ eventName: 'INSERT', newImage: alice }), { ...plain, color: true, tableColors });
    const orders = renderRecord(record({ eventName: 'INSERT', table: 'Orders', newImage: alice }), { ...plain, color: true, tableColors });
    expect(users[0]).toContain('  \u001b[1m\u001b[36mUsers\u001b[39m\u001b[22m  ');
    expect(orders[0]).toContain('  \u001b[1m\u001b[35mOrders\u001b[39m\u001b[22m  ');
    // The same table the same colour, record after record.
    const again = renderRecord(record({ eventName: 'REMOVE', oldImage: alice }), { ...plain, color: true, tableColors });
    expect(again[0]).toContain('\u001b[36mUsers\u001b');
    // Only the colour differs: the text is the one-stream text.
    expect(stripVTControlCharacters(users.join('\n'))).toBe(renderRecord(record({ eventName: 'INSERT', newImage: alice }), plain).join('\n'));
  });

  it('keeps one stream\'s header as it was: the table name bold, no table colour', () => {
    const one = renderRecord(record({ eventName: 'INSERT', newImage: alice }), { ...plain, color: true });
    expect(one[0]).toContain('  \u001b[1mUsers\u001b[22m  ');
    for (const code of ['\u001b[34m', '\u001b[35m', '\u001b[36m']) expect(one[0]).not.toContain(code);
  });

  it('writes no table colour with colour off (--no-color, NO_COLOR, a pipe)', () => {
    const tableColors = assignTableColors(['Users', 'Orders']);
    const lines = renderRecord(record({ eventName: 'INSERT', newImage: alice }), { ...plain, tableColors, keepTable: true });
    expect(lines).toEqual(renderRecord(record({ eventName: 'INSERT', newImage: alice }), plain));
  });

  it('keeps the coloured table name on a narrow terminal when several tables share it', () => {
    const tableColors = assignTableColors(['Users', 'Orders']);
    const narrow = { ...plain, color: true, width: 80 };
    const mixed = renderRecord(record({ eventName: 'MODIFY', oldImage: alice, newImage: alice }), { ...narrow, tableColors, keepTable: true });
    expect(mixed[0]).toContain('\u001b[1m\u001b[36mUsers\u001b[39m\u001b[22m');
    const alone = renderRecord(record({ eventName: 'MODIFY', oldImage: alice, newImage: alice }), narrow);
    expect(stripVTControlCharacters(alone[0]!)).not.toContain('Users');
  });

  it('writes no escape codes without colour', () => {
    const lines = renderRecord(record({ eventName: 'MODIFY', oldImage: alice, newImage: { ...alice, nick: { S: 'al' } } }), plain);
    for (const line of lines) expect(line).toBe(stripVTControlCharacters(line));
  });
});

describe('key order', () => {
  it('shows the partition key first when the key schema is known, whatever order DynamoDB sent', () => {
    const insert: StreamRecord = {
      streamArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/T/stream/L', table: 'T', shardId: 'shardId-00000001700000000000-abcdef12',
      sequenceNumber: '100000000000000000001', eventId: 'e', eventName: 'INSERT', eventVersion: '1.1', awsRegion: 'us-east-1',
      time: new Date('2024-05-01T10:00:00Z'), keys: { sk: { S: 'PROFILE' }, pk: { S: 'USER#ada' } },
      newImage: { sk: { S: 'PROFILE' }, pk: { S: 'USER#ada' }, name: { S: 'Ada' } }, sizeBytes: 10,
    };
    const withSchema = renderRecord(insert, { mode: 'diff', color: false, keyNames: ['pk', 'sk'] });
    expect(withSchema[0]).toContain('pk=USER#ada sk=PROFILE');
    expect(withSchema.slice(1).map((l) => l.trim().split(/\s+/)[0])).toEqual(['pk', 'sk', 'name']);
    const withoutSchema = renderRecord(insert, { mode: 'diff', color: false });
    expect(withoutSchema[0]).toContain('sk=PROFILE pk=USER#ada');
  });
});
