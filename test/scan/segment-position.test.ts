import { describe, expect, it } from 'vitest';
import { decodeSegmentPosition, describeSegmentPosition, encodeSegmentPosition } from '../../src/scan/segment-position.js';

describe('segment positions', () => {
  it('read back as written, a binary or numeric key included, and always write the same text', () => {
    const position = { items: 250, after: { pk: { B: new Uint8Array([0, 1, 254]) }, sk: { N: '12345678901234567890123456789012345678' } } };
    const text = encodeSegmentPosition(position);
    expect(text).toBe('{"items":250,"after":{"pk":{"B":"AAH+"},"sk":{"N":"12345678901234567890123456789012345678"}}}');
    const back = decodeSegmentPosition(text)!;
    expect(back.items).toBe(250);
    expect(Array.from(back.after!.pk!.B!)).toEqual([0, 1, 254]);
    expect(encodeSegmentPosition(back)).toBe(text);
    expect(decodeSegmentPosition('{"items":0}')).toEqual({ items: 0 });
  });

  it('are not KCL\'s named positions nor anything else', () => {
    for (const text of ['TRIM_HORIZON', 'SHARD_END', '4900000000000000000001', '{"items":-1}', '{"items":"3"}', '{"items":3,"after":[1]}', '{broken']) {
      expect(decodeSegmentPosition(text)).toBeUndefined();
    }
  });

  it('read for people as the items scanned', () => {
    expect(describeSegmentPosition('{"items":1234,"after":{"pk":{"S":"x"}}}')).toBe('1,234 items scanned');
    expect(describeSegmentPosition('{"items":1}')).toBe('1 item scanned');
    expect(describeSegmentPosition('TRIM_HORIZON')).toBeUndefined();
  });
});
