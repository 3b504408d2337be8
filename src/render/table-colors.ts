/**
 * Colours that tell tables apart in the header of a record when several streams share the
 * output. Each reads on dark and on light terminals (no yellow, white or black), and the first
 * three are none of the event colours (INSERT green, MODIFY yellow, REMOVE red), so a table name
 * next to its event never looks like part of it. Beyond five tables the colours come round again.
 */
export const TABLE_PALETTE = ['cyan', 'magenta', 'blue', 'green', 'red'] as const;

export type TableColor = (typeof TABLE_PALETTE)[number];

/** Which colour each table's name is shown in. */
export type TableColors = ReadonlyMap<string, TableColor>;

/**
 * Each table its colour, in the order the streams were given: the same table gets the same
 * colour for the whole run (and a table named twice, by name and by ARN, keeps its first).
 */
export function assignTableColors(tables: readonly string[]): TableColors {
  const colors = new Map<string, TableColor>();
  for (const table of tables) {
    if (!colors.has(table)) colors.set(table, TABLE_PALETTE[colors.size % TABLE_PALETTE.length]!);
  }
  return colors;
}
