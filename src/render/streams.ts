import { formatTable, formatTsv } from './table.js';

export interface StreamRow {
  table: string;
  streamArn: string;
  label: string;
  status: string;
  viewType: string;
}

const HEADER = ['TABLE', 'STATUS', 'VIEW TYPE', 'LABEL', 'STREAM ARN'];

export function renderStreams(rows: readonly StreamRow[], format: 'table' | 'tsv' | 'json'): string[] {
  if (format === 'json') return rows.map((row) => JSON.stringify(row));
  const cells = rows.map((r) => [r.table, r.status, r.viewType, r.label, r.streamArn]);
  if (format === 'tsv') return formatTsv(HEADER, cells);
  return rows.length ? formatTable(HEADER, cells) : [];
}
