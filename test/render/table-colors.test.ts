import { describe, expect, it } from 'vitest';
import { assignTableColors, TABLE_PALETTE } from '../../src/render/table-colors.js';

describe('assignTableColors', () => {
  it('gives the tables colours in the order the streams were given', () => {
    expect([...assignTableColors(['Users', 'Orders', 'Carts'])]).toEqual([['Users', 'cyan'], ['Orders', 'magenta'], ['Carts', 'blue']]);
  });

  it('keeps a table named twice (by name and by ARN) at its first colour; the next table takes the next one', () => {
    expect([...assignTableColors(['Users', 'Users', 'Orders'])]).toEqual([['Users', 'cyan'], ['Orders', 'magenta']]);
  });

  it('comes round the palette again past its end, and uses none of the event colours first', () => {
    const tables = Array.from({ length: TABLE_PALETTE.length + 1 }, (_, i) => `T${i}`);
    const colors = assignTableColors(tables);
    expect(colors.get(`T${TABLE_PALETTE.length}`)).toBe(colors.get('T0'));
    expect(new Set(tables.slice(0, TABLE_PALETTE.length).map((t) => colors.get(t))).size).toBe(TABLE_PALETTE.length);
    for (const color of TABLE_PALETTE.slice(0, 3)) expect(['green', 'yellow', 'red']).not.toContain(color);
    // Unreadable on one background or the other.
    for (const color of ['yellow', 'white', 'black']) expect(TABLE_PALETTE).not.toContain(color);
  });
});
