import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { flaggedRecords, writeNdjson } from '../replay/input-fixture.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/handlers/', import.meta.url));

describe('replay --memory', () => {
  it('a handler past its memory fails that batch in one line; a fresh process takes the next; the context reports the setting', async () => {
    const dir = tempDir();
    const input = writeNdjson(dir, 'records.ndjson', flaggedRecords(2, { 1: 'hog' }));
    const log = path.join(dir, 'calls.ndjson');
    const result = await runCli([
      'replay', '--input', input, '--handler', path.join(FIXTURES, 'memory-hog.mjs'), '--memory', '128', '--batch-size', '1', '--max-retries', '0',
    ], { env: cleanEnv({ HANDLER_LOG: log }), timeoutMs: 60_000 });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines.filter((line) => line.includes('out of memory'))).toEqual([
      expect.stringMatching(/^replay: gave up on 1 record of shard \(input\) \(seq \d+\): 1 attempt failed \(last: Runtime\.OutOfMemory: Runtime exited with error: out of memory \(the handler's heap passed --memory 128 MB\)\); dropped \(no --on-failure file\)$/),
    ]);
    expect(result.stderr).not.toMatch(/Last few GCs|FATAL ERROR|JS stacktrace/);
    expect(result.stderr).toMatch(/^replay: 2 records: 1 handled, 1 failed/m);
    const calls = readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { memoryLimitInMB: string; pid: number });
    expect(calls.map((call) => call.memoryLimitInMB)).toEqual(['128', '128']);
    expect(calls[0]!.pid).not.toBe(calls[1]!.pid);
  }, 70_000);
});
