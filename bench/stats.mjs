export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Print one benchmark's rows as a Markdown table (pasted into BENCHMARKS.md) and return them. */
export function report(title, rows, note = '') {
  const lines = [`### ${title}${note ? ` (${note})` : ''}`, '', '| case | value | ratio | target |', '|---|---|---|---|'];
  for (const row of rows) {
    const value = row.value ?? (row.ms !== undefined ? `${row.ms.toFixed(1)} ms` : '');
    lines.push(`| ${row.name} | ${value} | ${row.ratio !== undefined ? row.ratio.toFixed(2) : ''} | ${row.target ?? ''} |`);
  }
  console.log(lines.join('\n') + '\n');
  return rows;
}

/** The q-quantile (0..1) by nearest rank, e.g. 0.9 for p90. */
export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
