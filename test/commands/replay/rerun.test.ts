import { describe, expect, it } from 'vitest';
import { rerunCommand } from '../../../src/commands/replay/rerun.js';
import type { ReplayOptions } from '../../../src/commands/replay/options.js';

/** The options as commander hands them over: the numeric settings always present, as strings. */
const given = (options: Partial<ReplayOptions>): ReplayOptions => ({
  handler: './handler.ts', batchSize: '100', batchWindow: '0', maxRetries: '3', maxRecordAge: '-1',
  parallelizationFactor: '1', timeout: '60', from: 'trim-horizon', concurrency: '16', pollInterval: '250', onTrimmed: 'fail',
  ...options,
});

describe('rerunCommand', () => {
  it('is the plain command when every setting is the default', () => {
    expect(rerunCommand(given({}), './handler.ts', 'failures.ndjson')).toBe('ddbstream replay --input failures.ndjson --handler ./handler.ts');
  });

  it('carries every option that changes what counts as a failure, and only those', () => {
    const options = given({
      handlerExport: 'main', reportBatchItemFailures: true, bisectOnError: true, maxRetries: '2', maxRecordAge: '3600',
      batchSize: '10', timeout: '5', event: ['INSERT,MODIFY'], key: ['pk=o-18'], filter: ['{"eventName": ["INSERT"]}'],
      // Not about failure, or not for a file: left out.
      batchWindow: '5', parallelizationFactor: '4', from: '2h', until: '1h', checkpoint: 'cp.json', follow: true, watch: true,
      maxRecords: '10', onFailure: 'failures.ndjson', region: 'eu-west-1', concurrency: '4',
    });
    expect(rerunCommand(options, './handler.ts', 'failures.ndjson')).toBe(
      'ddbstream replay --input failures.ndjson --handler ./handler.ts --handler-export main --bisect-on-error ' +
        '--report-batch-item-failures --batch-size 10 --max-retries 2 --max-record-age 3600 --timeout 5 ' +
        `--event INSERT,MODIFY --key pk=o-18 --filter '{"eventName": ["INSERT"]}'`,
    );
  });

  it('quotes paths and values for the shell', () => {
    expect(rerunCommand(given({ key: ["name=O'Brien"] }), './my handler.ts', 'out dir/failures.ndjson')).toBe(
      `ddbstream replay --input 'out dir/failures.ndjson' --handler './my handler.ts' --key 'name=O'\\''Brien'`,
    );
  });

  it('carries the settings the replay engine added later: memory, windows, the Pipes shape', () => {
    const options = given({ memory: '256', tumblingWindow: '60', eventShape: 'pipes' });
    expect(rerunCommand(options, './handler.ts', 'f.ndjson')).toBe(
      'ddbstream replay --input f.ndjson --handler ./handler.ts --memory 256 --tumbling-window 60 --event-shape pipes',
    );
    expect(rerunCommand(given({ memory: '1024', eventShape: 'lambda' }), './handler.ts', 'f.ndjson')).toBe(
      'ddbstream replay --input f.ndjson --handler ./handler.ts',
    );
  });
});
