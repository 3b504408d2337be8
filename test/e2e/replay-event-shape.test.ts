import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { flaggedRecords, writeNdjson } from '../replay/input-fixture.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/handlers/', import.meta.url));

describe('replay --event-shape pipes', () => {
  it('the handler gets a JSON array; batchItemFailures are honoured as a Pipe does, without --report-batch-item-failures', async () => {
    const dir = tempDir();
    const records = flaggedRecords(4, { 3: 'bad' });
    const input = writeNdjson(dir, 'records.ndjson', records);
    const log = path.join(dir, 'calls.ndjson');
    const failures = path.join(dir, 'failures.ndjson');
    const result = await runCli([
      'replay', '--input', input, '--handler', path.join(FIXTURES, 'pipes.mjs'), '--event-shape', 'pipes',
      '--max-retries', '1', '--on-failure', failures,
    ], { env: cleanEnv({ HANDLER_LOG: log }) });
    expect(result.code).toBe(1);
    const events = readFileSync(log, 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { event: unknown }).event);
    expect(events).toEqual([records, records.slice(2)]);
    const failed = JSON.parse(readFileSync(failures, 'utf8')) as { records: unknown[] };
    expect(failed.records).toEqual(records.slice(2));
  });

  it('refuses --tumbling-window: a Pipe has no windows', async () => {
    const result = await runCli(['replay', '--input', 'x.ndjson', '--handler', path.join(FIXTURES, 'pipes.mjs'), '--event-shape', 'pipes', '--tumbling-window', '60']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^ddbstream: --tumbling-window is a setting of an event source mapping; an EventBridge Pipe \(--event-shape pipes\) has no windows\.\n$/);
  });
});
