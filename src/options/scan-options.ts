import type { Command } from 'commander';
import { UsageError } from '../util/errors.js';

/** Declares the backfill options of export and replay: the table's items first, then the stream. */
export function addScanOptions(command: Command): Command {
  return command
    .option(
      '--scan',
      'backfill: first deliver every item of the table as an INSERT (marked "scan"), then the stream from the moment the scan began ' +
        '(not with --from: the scan sets the start; works on a table without a stream, then nothing follows)',
    )
    .option('--scan-segments <n>', 'parallel Scan segments of each table, 1–1000 (default: sized to the table; read --concurrency at a time)')
    .option('--consistent', 'strongly consistent Scan reads (twice the read capacity)');
}

/**
 * `--from` given together with `--scan` is refused: the scan decides where the stream part
 * starts (a margin before the moment it began), so any start the user names would be ignored.
 * Only a `--from` the user gave counts: the command's default start is no contradiction.
 */
export function checkScanStart(command: Command): void {
  if (!command.getOptionValue('scan')) return;
  const source = command.getOptionValueSource('from');
  if (source === undefined || source === 'default') return;
  const from = String(command.getOptionValue('from'));
  throw new UsageError(
    `--from and --scan do not go together: --scan starts the stream at the moment the scan began. Drop --from (or drop --scan to read from "${from}").`,
  );
}
