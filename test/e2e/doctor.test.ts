import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeStreams, type FakeStreams } from '../fake-streams/index.js';
import { cleanEnv, runCli } from '../helpers/cli.js';

let fake: FakeStreams;

beforeAll(async () => {
  fake = await startFakeStreams();
  fake.addTable({ tableName: 'Users', stream: { shards: 1 } });
});
afterAll(async () => {
  await fake?.close();
});

// Each run starts a JVM for the Java check and waits on endpoints: seconds on a busy machine.
describe('ddbstream doctor', () => {
  it('passes against a working endpoint: one line per check, exit 0', async () => {
    const result = await runCli(['doctor', 'Users'], { env: cleanEnv({ AWS_ENDPOINT_URL: fake.endpoint }), timeoutMs: 60_000 });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const names = result.stdout.trimEnd().split('\n').map((line) => /^\S+\s+([a-z-]+):/.exec(line)?.[1]);
    expect(names).toEqual(['node', 'region', 'credentials', 'streams-endpoint', 'dynamodb-endpoint', 'list-streams', 'stream', 'java']);
    expect(result.stdout).toMatch(/^ok {3}streams-endpoint: DynamoDB Streams http:\/\/127\.0\.0\.1:\d+ \(from AWS_ENDPOINT_URL\) answers in \d+ ms$/m);
  }, 90_000);

  it('exits 1 with what to fix when there is no region, and never shows the secret, not even with --debug', async () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const result = await runCli(['doctor', '--json', '--debug'], {
      env: cleanEnv({ AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: secret }),
      timeoutMs: 60_000,
    });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { ok: boolean; checks: { name: string; status: string; detail: string }[] };
    expect(report.ok).toBe(false);
    expect(report.checks.find((check) => check.name === 'region')?.status).toBe('fail');
    expect(report.checks.find((check) => check.name === 'credentials')?.detail).toBe('environment (AWS_ACCESS_KEY_ID), key …MPLE');
    expect(result.stderr).toMatch(/^ddbstream: reading a stream would fail here: fix region as said above, then run doctor again\.\n/);
    expect(result.stdout + result.stderr).not.toContain(secret);
  }, 90_000);
});
