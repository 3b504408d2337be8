import { createServer, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { flaggedRecords, writeNdjson } from '../replay/input-fixture.js';

const POISON_HANDLER = fileURLToPath(new URL('../fixtures/handlers/poison.mjs', import.meta.url));

describe('ddbstream CLI basics', () => {
  it('prints help with examples and exit codes', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Usage: ddbstream/);
    expect(result.stdout).toMatch(/Examples:/);
    expect(result.stdout).toMatch(/shards/);
    expect(result.stderr).toBe('');
  });

  it('prints the version', async () => {
    const result = await runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('rejects an unknown option with exit 2 and a hint', async () => {
    const result = await runCli(['shards', 'Users', '--bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown option '--bogus'/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects a malformed stream ARN with exit 2 and says what an ARN looks like', async () => {
    const result = await runCli(['shards', 'arn:aws:dynamodb:us-east-1:123:table/Users']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/is not a DynamoDB stream ARN.*arn:aws:dynamodb:REGION:ACCOUNT:table\/TABLE\/stream\/LABEL/);
  });

  it('fails fast with one line when the endpoint refuses connections', async () => {
    const result = await runCli(['shards', 'Users', '--endpoint-url', 'http://127.0.0.1:1']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/cannot reach the endpoint \(ECONNREFUSED\)/);
    expect(result.durationMs).toBeLessThan(10_000);
  });

  it('never shows the AWS SDK Node-version warning', async () => {
    const result = await runCli(['streams', '--endpoint-url', 'http://127.0.0.1:1']);
    expect(result.stderr).not.toMatch(/NodeVersionSupportWarning|upgrade to node/i);
  });

  describe('an endpoint that accepts connections but never answers', () => {
    let server: Server;
    let port = 0;
    const sockets = new Set<Socket>();
    beforeAll(async () => {
      server = createServer((socket) => sockets.add(socket)); // hold every socket open, say nothing
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('gives up within about 10 seconds with a clear message', async () => {
      const result = await runCli(['shards', 'Users', '--endpoint-url', `http://127.0.0.1:${port}`], { timeoutMs: 30_000 });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/did not answer in time|cannot reach the endpoint/);
      expect(result.durationMs).toBeLessThan(12_000);
    }, 30_000);
  });

  it('asks for credentials by name when real AWS is used without any', async () => {
    const result = await runCli(['shards', 'Users', '--region', 'eu-west-1'], { env: cleanEnv() });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no AWS credentials found.*--profile/);
  });

  it('shows a stack trace only with --debug', async () => {
    const plain = await runCli(['shards', 'Users', '--endpoint-url', 'http://127.0.0.1:1']);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    const debug = await runCli(['shards', 'Users', '--endpoint-url', 'http://127.0.0.1:1', '--debug']);
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  describe('--debug as commander parses it', () => {
    const unreachable = ['--endpoint-url', 'http://127.0.0.1:1'];

    it.each([
      ['after the subcommand', ['export', 'Users', ...unreachable, '--debug']],
      ['before the subcommand', ['--debug', 'export', 'Users', ...unreachable]],
    ])('is on %s', async (_where, args) => {
      const result = await runCli(args);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^ddbstream: cannot reach the endpoint \(ECONNREFUSED\)/);
      expect(result.stderr).toMatch(/\n\s+at /);
    });

    it('is off when `--debug` is an operand after `--` (here: the stream name)', async () => {
      const result = await runCli(['shards', ...unreachable, '--', '--debug']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/cannot reach the endpoint/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });

    it('reaches the command when given after it: replay shows the handler\'s stack', async () => {
      const dir = tempDir();
      const input = writeNdjson(dir, 'records.ndjson', flaggedRecords(1, { 1: 'poison' }));
      const args = ['replay', '--input', input, '--handler', POISON_HANDLER, '--max-retries', '0'];
      const plain = await runCli(args);
      const debug = await runCli([...args, '--debug']);
      for (const result of [plain, debug]) {
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/TypeError: poison record/);
      }
      const handlerFrame = /^\[poison\] +at handler .*poison\.mjs/m;
      expect(plain.stderr).not.toMatch(handlerFrame);
      expect(debug.stderr).toMatch(handlerFrame);
    });
  });
});
