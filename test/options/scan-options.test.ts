import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addReadingOptions } from '../../src/options/reading-options.js';
import { addScanOptions, checkScanStart } from '../../src/options/scan-options.js';
import { UsageError } from '../../src/util/errors.js';

/** An export-like command parsed from `args`, as its action receives it. */
function parsed(args: string[]): Command {
  const command = addScanOptions(addReadingOptions(new Command('export').exitOverride()));
  command.parse(args, { from: 'user' });
  return command;
}

describe('checkScanStart', () => {
  it('refuses a --from given with --scan, whatever its value: the scan says where the stream starts', () => {
    for (const from of ['trim-horizon', 'latest', '2h', '2024-05-01T10:00:00Z', '100000000000000000001']) {
      const check = (): void => checkScanStart(parsed(['--scan', '--from', from]));
      expect(check).toThrow(UsageError);
      expect(check).toThrow(
        `--from and --scan do not go together: --scan starts the stream at the moment the scan began. Drop --from (or drop --scan to read from "${from}").`,
      );
    }
  });

  it('lets --scan alone through (the default start is not the user\'s), and --from without --scan', () => {
    expect(() => checkScanStart(parsed(['--scan']))).not.toThrow();
    expect(() => checkScanStart(parsed(['--scan', '--until', '1h']))).not.toThrow();
    expect(() => checkScanStart(parsed(['--from', '2h']))).not.toThrow();
  });

  it('counts a usage error, exit 2', () => {
    try {
      checkScanStart(parsed(['--from', 'latest', '--scan']));
      expect.unreachable();
    } catch (error) {
      expect((error as UsageError).exitCode).toBe(2);
    }
  });
});
