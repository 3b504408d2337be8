import { copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { BIN, cleanEnv, runCli } from '../helpers/cli.js';
import type { FailureLine } from '../../src/replay/failure-record.js';
import { tempDir } from '../helpers/temp-dir.js';
import { flaggedRecords, writeNdjson } from '../replay/input-fixture.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/handlers/', import.meta.url));
const fixture = (name: string): string => path.join(FIXTURES, name);

const readLines = <T>(file: string): T[] =>
  readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as T);

const sequences = (records: Array<{ dynamodb: { SequenceNumber: string } }>): number[] =>
  records.map((record) => Number(BigInt(record.dynamodb.SequenceNumber) - 100000000000000000000n));

function setup(count: number, flags: Record<number, string> = {}) {
  const dir = tempDir();
  const records = flaggedRecords(count, flags);
  const input = writeNdjson(dir, 'records.ndjson', records);
  return { dir, records, input, log: path.join(dir, 'calls.ndjson'), failures: path.join(dir, 'failures.ndjson') };
}

describe('replay --input', () => {
  it('feeds an `export --raw` file to an ESM handler: the event is exactly the records; exit 0; nothing on stdout', async () => {
    const { input, log, records } = setup(5);
    const result = await runCli(['replay', '--input', input, '--handler', fixture('esm.mjs'), '--batch-size', '3'], {
      env: cleanEnv({ HANDLER_LOG: log }),
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('[esm] esm handler got 3 records\n');
    expect(result.stderr).toContain('[esm] esm handler got 2 records\n');
    expect(result.stderr).toMatch(/^replay: 5 records: 5 handled · 2 invocations · [\d.]+ s$/m);
    const calls = readLines<{ event: { Records: unknown[] }; invocations: number }>(log);
    expect(calls.map((call) => call.event.Records)).toEqual([records.slice(0, 3), records.slice(3)]);
    expect(calls.map((call) => call.invocations)).toEqual([1, 2]);
  });

  it('runs a TypeScript handler and Lambda\'s file.export form', async () => {
    const { input, log } = setup(2);
    const ts = await runCli(['replay', '--input', input, '--handler', fixture('typed/handler.ts')], { env: cleanEnv({ HANDLER_LOG: log }) });
    expect(ts.code).toBe(0);
    const lambda = await runCli(['replay', '--input', input, '--handler', 'lambda/index.other'], {
      env: cleanEnv({ HANDLER_LOG: log }), cwd: FIXTURES,
    });
    expect(lambda.code).toBe(0);
    expect(readLines<{ form: string }>(log).map((call) => call.form)).toEqual(['ts', 'lambda-other']);
  });

  it('bisects down to a poison record, writes exactly it to the failure file (0600), exits 1; the fixed handler replays it', async () => {
    const { dir, input, failures } = setup(8, { 6: 'poison' });
    const handler = path.join(dir, 'handler.mjs');
    copyFileSync(fixture('poison.mjs'), handler);
    const result = await runCli([
      'replay', '--input', input, '--handler', handler, '--bisect-on-error', '--max-retries', '1', '--on-failure', failures,
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/failed: TypeError: poison record 100000000000000000006; splitting the batch in two/);
    expect(result.stderr).toMatch(/^replay: gave up on 1 record of shard \(input\) \(seq 100000000000000000006\): 5 attempts failed \(last: TypeError: poison record 100000000000000000006\); written to .*failures\.ndjson$/m);
    expect(result.stderr).toMatch(/^replay: 8 records: 7 handled, 1 failed \(1 batch in .*failures\.ndjson\)/m);
    expect(result.stderr).toMatch(/^ddbstream: 1 record failed\. Fix the handler, then replay them: ddbstream replay --input .*failures\.ndjson --handler /m);
    expect(statSync(failures).mode & 0o777).toBe(0o600);
    const lines = readLines<FailureLine>(failures);
    expect(lines).toHaveLength(1);
    expect(sequences(lines[0]!.records)).toEqual([6]);
    expect(lines[0]!.requestContext).toMatchObject({ condition: 'RetryAttemptsExhausted', functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:handler' });
    expect(lines[0]!.DDBStreamBatchInfo).toMatchObject({ batchSize: 1, startSequenceNumber: '100000000000000000006' });

    // "Fix" the handler, then replay the failure file into it.
    writeFileSync(handler, 'export const handler = async (event) => { console.log(`fixed ${event.Records.length}`); };\n');
    const again = await runCli(['replay', '--input', failures, '--handler', handler]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('[handler] fixed 1\n');
    expect(again.stderr).toMatch(/^replay: 1 record: 1 handled · 1 invocation/m);
  });

  it('honours batchItemFailures with --report-batch-item-failures and replays the failure file once fixed', async () => {
    const { input, failures } = setup(5, { 3: 'bad' });
    const result = await runCli([
      'replay', '--input', input, '--handler', fixture('partial.mjs'), '--report-batch-item-failures', '--max-retries', '1',
      '--on-failure', failures,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^replay: the handler reported seq 100000000000000000003 of shard \(input\) failed: 2 records before it done; retry 1 of 1 from it \(3 records\)$/m);
    const lines = readLines<FailureLine>(failures);
    expect(lines.map((line) => sequences(line.records))).toEqual([[3, 4, 5]]);
    expect(lines[0]!.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST' });

    const fixed = await runCli(['replay', '--input', failures, '--handler', fixture('partial.mjs'), '--report-batch-item-failures'], {
      env: cleanEnv({ FIXED: '1' }),
    });
    expect(fixed.code).toBe(0);
    expect(fixed.stderr).toMatch(/^replay: 3 records: 3 handled/m);
  });

  it('a handler that calls process.exit fails its batch with one clear line; the other batches still run', async () => {
    const { input, failures } = setup(4, { 2: 'exit' });
    const result = await runCli([
      'replay', '--input', input, '--handler', fixture('exit.mjs'), '--batch-size', '1', '--max-retries', '0', '--on-failure', failures,
    ]);
    expect(result.code).toBe(1);
    const crashLines = result.stderr.split('\n').filter((line) => line.includes('Runtime exited with error: exit status 3'));
    expect(crashLines).toHaveLength(1);
    expect(crashLines[0]).toMatch(/^replay: gave up on 1 record .*last: Runtime\.ExitError: Runtime exited with error: exit status 3/);
    expect(result.stderr).toMatch(/^replay: 4 records: 3 handled, 1 failed/m);
    expect(sequences(readLines<FailureLine>(failures)[0]!.records)).toEqual([2]);
  });

  it('stops a handler that runs past --timeout and goes on with a fresh one', async () => {
    const { input } = setup(3, { 1: 'hang' });
    const result = await runCli(['replay', '--input', input, '--handler', fixture('hang.mjs'), '--batch-size', '1', '--timeout', '1', '--max-retries', '0']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/last: Sandbox\.Timedout: Task timed out after 1\.00 seconds/);
    expect(result.stderr).toMatch(/dropped \(no --on-failure file\)/);
    expect(result.stderr).toMatch(/^replay: 3 records: 2 handled, 1 failed \(dropped: no --on-failure file\)/m);
    expect(result.stderr).toMatch(/^ddbstream: 1 record failed\. Add --on-failure FILE to keep them\.$/m);
    expect(result.durationMs).toBeLessThan(15_000);
  });

  it('retries a failing batch and reports each attempt', async () => {
    const { input } = setup(1, { 1: 'poison' });
    const result = await runCli(['replay', '--input', input, '--handler', fixture('poison.mjs'), '--max-retries', '2']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/TypeError: poison record 100000000000000000001; retry 1 of 2$/m);
    expect(result.stderr).toMatch(/TypeError: poison record 100000000000000000001; retry 2 of 2$/m);
    expect(result.stderr).toMatch(/3 invocations, 2 retries, 3 function errors/);
  });

  it('skips and counts records that match no --filter, and stops after -n records', async () => {
    const { input, log } = setup(6, { 2: 'keep', 4: 'keep', 5: 'keep' });
    const result = await runCli([
      'replay', '--input', input, '--handler', fixture('esm.mjs'),
      '--filter', '{"dynamodb":{"NewImage":{"flag":{"S":["keep"]}}}}', '-n', '2',
    ], { env: cleanEnv({ HANDLER_LOG: log }) });
    expect(result.code).toBe(0);
    expect(readLines<{ sequenceNumbers: string[] }>(log).flatMap((call) => call.sequenceNumbers.map((s) => Number(s.slice(-1))))).toEqual([2, 4]);
    expect(result.stderr).toMatch(/^replay: 4 records: 2 handled, 2 filtered · 1 invocation/m);
  });

  it('--stats counts the records replayed from the file: per shard the file names (else "(input)", scanned items "scan"), per event, after filters and -n', async () => {
    const dir = tempDir();
    const plain = flaggedRecords(4, { 1: 'keep', 2: 'keep', 3: 'keep', 4: 'keep' });
    plain[1]!.eventName = 'MODIFY';
    // An item of `export --scan --raw`: counted under "scan", as export --scan --stats counts it.
    plain[3]!.eventID = 'scan-000000000000000000001';
    const failed = flaggedRecords(3, { 1: 'keep', 3: 'keep' }).map((record, i) => ({
      ...record, dynamodb: { ...record.dynamodb, SequenceNumber: String(200000000000000000000n + BigInt(i)) },
    }));
    const failureLine = { DDBStreamBatchInfo: { shardId: 'shardId-00000001-aaaa' }, records: failed };
    const input = writeNdjson(dir, 'mixed.ndjson', [...plain, failureLine]);
    const result = await runCli([
      'replay', '--input', input, '--handler', fixture('esm.mjs'), '--stats',
      '--filter', '{"dynamodb":{"NewImage":{"flag":{"S":["keep"]}}}}', '-n', '5',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stderr.trim().split('\n').at(-1)!)).toEqual({
      records: 5, shards: { '(input)': 3, scan: 1, 'shardId-00000001-aaaa': 1 }, events: { INSERT: 4, MODIFY: 1 }, largestLagMs: 0, largestLag: '0s',
    });
  });
});

describe('replay usage errors: exit 2, one line naming the problem, before any record', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['a missing handler file', ['--handler', 'nope.mjs'], /^ddbstream: handler file nope\.mjs not found/],
    ['a handler with a syntax error', ['--handler', fixture('broken-syntax.mjs')], /^ddbstream: handler .*broken-syntax\.mjs has a syntax error: line 2:\d+: Expected "}" but found ";"$/],
    ['a handler without the export', ['--handler', fixture('esm.mjs'), '--handler-export', 'main'], /^ddbstream: handler .*esm\.mjs has no export "main" \(its function exports: handler\)/],
    ['an export that is no function', ['--handler', fixture('not-function.mjs')], /^ddbstream: handler .*not-function\.mjs: export "handler" is a string, not a function\.$/],
    ['Lambda form naming a missing module', ['--handler', 'src/index.handler'], /^ddbstream: handler src\/index\.handler: no module file src\/index\.\{js,mjs,cjs,ts,mts,cts\}/],
    ['--batch-size out of range', ['--handler', fixture('esm.mjs'), '--batch-size', '0'], /^ddbstream: --batch-size must be an integer from 1 to 10000 \(got "0"\)\.$/],
    ['--max-record-age out of range', ['--handler', fixture('esm.mjs'), '--max-record-age', '30'], /^ddbstream: --max-record-age must be -1 \(no limit\) or a whole number of seconds from 60 to 604800 \(got "30"\)\.$/],
    ['--parallelization-factor out of range', ['--handler', fixture('esm.mjs'), '--parallelization-factor', '11'], /^ddbstream: --parallelization-factor must be an integer from 1 to 10/],
    ['--max-retries out of range', ['--handler', fixture('esm.mjs'), '--max-retries', '-2'], /^ddbstream: --max-retries must be an integer from -1/],
    ['--from with --input', ['--handler', fixture('esm.mjs'), '--from', 'latest'], /^ddbstream: --from applies to a stream, not to --input\.$/],
    ['--on-failure into a missing folder', ['--handler', fixture('esm.mjs'), '--on-failure', '/nonexistent-dir/f.ndjson'], /^ddbstream: --on-failure \/nonexistent-dir\/f\.ndjson: the directory \/nonexistent-dir does not exist\.$/],
  ];
  it.each(cases)('%s', async (_name, args, message) => {
    const { input, log } = setup(2);
    const result = await runCli(['replay', '--input', input, ...args], { env: cleanEnv({ HANDLER_LOG: log }), cwd: tempDir() });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(message);
    expect(existsSync(log)).toBe(false);
  });

  it('a missing --input file, and a broken line with its number', async () => {
    const dir = tempDir();
    const missing = await runCli(['replay', '--input', path.join(dir, 'none.ndjson'), '--handler', fixture('esm.mjs')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^ddbstream: --input file .*none\.ndjson not found\.$/m);

    const lines = flaggedRecords(3).map((record) => JSON.stringify(record));
    lines[1] = lines[1]!.slice(0, 40);
    writeFileSync(path.join(dir, 'broken.ndjson'), lines.join('\n') + '\n');
    const broken = await runCli(['replay', '--input', path.join(dir, 'broken.ndjson'), '--handler', fixture('esm.mjs')]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^ddbstream: --input .*broken\.ndjson line 2 is not valid JSON: /m);
  });

  it('neither a stream nor --input, and both', async () => {
    const neither = await runCli(['replay', '--handler', fixture('esm.mjs')]);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toMatch(/^ddbstream: name the stream to replay \(a table name or stream ARN\), or give --input FILE\.$/m);
    const { input } = setup(1);
    const both = await runCli(['replay', 'Orders', '--input', input, '--handler', fixture('esm.mjs')]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^ddbstream: give a stream or --input, not both/m);
  });

  it('--help says Lambda\'s retry default and that the handler runs as the user\'s own code', async () => {
    const help = await runCli(['replay', '--help']);
    expect(help.code).toBe(0);
    const text = help.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('--max-retries <n> retries of a failing batch, -1 (forever) to 10000; Lambda\'s default is -1 (default: 3)');
    expect(text).toContain('as your own code with your own credentials');
  });

  it('suggests a rerun that keeps what decided failure: pasted as it is, the still-broken handler fails again', async () => {
    const { dir, input } = setup(6, { 4: 'bad' });
    copyFileSync(fixture('partial.mjs'), path.join(dir, 'my handler.mjs'));
    const result = await runCli([
      'replay', '--input', input, '--handler', './my handler.mjs', '--report-batch-item-failures', '--max-retries', '0',
      '--batch-size', '3', '--event', 'INSERT', '--on-failure', 'failures.ndjson',
    ], { cwd: dir });
    expect(result.code).toBe(1);
    const suggested = /Fix the handler, then replay them: (.+)$/m.exec(result.stderr)?.[1];
    expect(suggested).toBe(
      `ddbstream replay --input failures.ndjson --handler './my handler.mjs' --report-batch-item-failures --batch-size 3 --max-retries 0 --event INSERT`,
    );
    // The failure file holds records 4..6 (the batch from the failed record on): still bad, still failing.
    const again = spawnSync('sh', ['-c', suggested!.replace(/^ddbstream /, `"${process.execPath}" "${BIN}" `)], {
      cwd: dir, env: cleanEnv(), encoding: 'utf8',
    });
    expect(again.stderr).toMatch(/^replay: 3 records: 0 handled, 3 failed/m);
    expect(again.status).toBe(1);
  });
});
