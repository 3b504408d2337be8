/** Column-aligned text for terminals. Pure: rows in, lines out. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

/** Tab-separated values for pipes: stable, one header line, no padding. */
export function formatTsv(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [header.join('\t'), ...rows.map((r) => r.join('\t'))];
}

/** "3h 12m", "45s", "2d 1h": a short human duration. */
export function formatDuration(ms: number): string {
  const negative = ms < 0;
  let s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const parts = d ? [`${d}d`, `${h}h`] : h ? [`${h}h`, `${m}m`] : m ? [`${m}m`, `${s}s`] : [`${s}s`];
  return (negative ? '-' : '') + parts.join(' ');
}
