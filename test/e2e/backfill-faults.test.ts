import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeStreams, type FakeStreams } from '../fake-streams/index.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { parseNdjson } from './export-helpers.js';

/**
 * `--scan` when DynamoDB throttles or refuses the Scan, seen from the command line: the built CLI
 * against the fake endpoint, whose Scan reads the items a test put in the table.
 */

const HANDLER = fileURLToPath(new URL('../fixtures/handlers/esm.mjs', import.meta.url));
let fake: FakeStreams;

beforeEach(async () => {
  fake = await startFakeStreams();
  fake.addTable({ tableName: 'T', stream: { shards: 1 } });
  fake.table('T').items.push(...Array.from({ length: 30 }, (_, i) => ({ pk: { S: `item-${i}` }, n: { N: String(i) } })));
});
afterEach(() => fake.close());

/** The give-up time is shortened so that a scan throttled for good ends within seconds. */
const env = (giveUpMs = 60_000): NodeJS.ProcessEnv => cleanEnv({ AWS_ENDPOINT_URL: fake.endpoint, DDBSTREAM_RETRY_GIVE_UP_MS: String(giveUpMs) });

describe('--scan under throttling and refusals, end to end', () => {
  it('waits out a throttled Scan and then delivers every item once', async () => {
    fake.faults.throttle(5, { actions: ['Scan'], error: 'ProvisionedThroughputExceededException' });
    const result = await runCli(['export', 'T', '--scan', '--scan-segments', '2'], { env: env() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = parseNdjson<{ scan?: boolean; keys: { pk: string } }>(result.stdout);
    expect(lines.every((line) => line.scan)).toBe(true);
    expect(lines.map((line) => line.keys.pk).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `item-${i}`).sort());
    expect(fake.log.count({ action: 'Scan', outcome: 'ProvisionedThroughputExceededException' })).toBe(5);
  });

  it('a Scan throttled past the give-up time: exit 1, one line saying what to change', async () => {
    fake.faults.throttle(Infinity, { actions: ['Scan'], error: 'ThrottlingException' });
    const result = await runCli(['export', 'T', '--scan'], { env: env(1_500), timeoutMs: 15_000 });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'ddbstream: the scan of "T" was still throttled after 1.5s of backoff. Use fewer --scan-segments or a lower --concurrency, or raise the table\'s read capacity, then rerun (with --checkpoint to resume by segment).\n',
    );
    // Backoff, not a busy loop: a handful of calls in 1.5 s.
    expect(fake.log.count({ action: 'Scan' })).toBeLessThan(30);
  });

  it('replay says the same when its backfill cannot scan', async () => {
    fake.faults.throttle(Infinity, { actions: ['Scan'], error: 'ProvisionedThroughputExceededException' });
    const result = await runCli(['replay', 'T', '--scan', '--handler', HANDLER], { env: env(1_000), timeoutMs: 15_000 });
    expect(result.code).toBe(1);
    // Replay says when the waiting starts, as it does for a throttled stream; then the one error line.
    expect(result.stderr.trim().split('\n')).toEqual([
      'replay: throttled: ProvisionedThroughputExceededException; retrying with backoff',
      'ddbstream: the scan of "T" was still throttled after 1s of backoff. Use fewer --scan-segments or a lower --concurrency, or raise the table\'s read capacity, then rerun (with --checkpoint to resume by segment).',
    ]);
  });

  it('no permission to Scan: exit 1 at once, one line naming the permissions --scan needs', async () => {
    fake.faults.accessDenied(Infinity, { actions: ['Scan'] });
    const result = await runCli(['export', 'T', '--scan'], { env: env() });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^ddbstream: cannot scan table "T": access denied \(User: .* is not authorized to perform: dynamodb:Scan .*\)\. --scan needs dynamodb:Scan and dynamodb:DescribeTable on the table\.\n$/);
    expect(result.durationMs).toBeLessThan(5_000);
    expect(fake.log.count({ action: 'Scan' })).toBe(1);
  });

  it('no permission to DescribeTable: the same line, before any Scan', async () => {
    fake.faults.accessDenied(Infinity, { actions: ['DescribeTable'] });
    const result = await runCli(['export', 'T', '--scan'], { env: env() });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ddbstream: cannot scan table "T": access denied \(.*dynamodb:DescribeTable.*\)\. --scan needs dynamodb:Scan and dynamodb:DescribeTable on the table\.\n$/);
    expect(fake.log.count({ action: 'Scan' })).toBe(0);
  });
});
