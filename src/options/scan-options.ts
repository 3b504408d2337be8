import type { Command } from 'commander';

/** Declares the backfill options of export and replay: the table's items first, then the stream. */
export function addScanOptions(command: Command): Command {
  return command
    .option(
      '--scan',
      'backfill: first deliver every item of the table as an INSERT (marked "scan"), then the stream from the moment the scan began ' +
        '(replaces --from; works on a table without a stream, then nothing follows)',
    )
    .option('--scan-segments <n>', 'parallel Scan segments, 1–1000 (default: sized to the table; read --concurrency at a time)')
    .option('--consistent', 'strongly consistent Scan reads (twice the read capacity)');
}
