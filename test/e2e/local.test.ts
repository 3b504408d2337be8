import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { assertBuilt, BIN } from '../helpers/cli.js';
import { exitOf, waitForLine } from '../helpers/run-ts.js';
import { childrenNamed, waitUntilGone } from '../helpers/processes.js';
import { localDynamoDbClient } from '../helpers/dynamodb-local.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The CLI as a running process: this test talks to `local` while it runs, then signals it. */
function runCli(args: string[]): ChildProcess {
  assertBuilt();
  return spawn(process.execPath, [BIN, ...args], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
}

function collect(child: ChildProcess): { stdout: () => string; stderr: () => string } {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return { stdout: () => stdout, stderr: () => stderr };
}

describe('ddbstream local', () => {
  it('runs DynamoDB Local until SIGINT, then stops it and exits 130', async () => {
    const cli = runCli(['local', '--port', '0']);
    const output = collect(cli);
    try {
      const [, endpoint] = await waitForLine(cli, /^\s*export AWS_ENDPOINT_URL=(http:\/\/localhost:\d+)$/, 45_000);
      expect(output.stdout()).toContain(`--endpoint-url ${endpoint}`);
      const java = childrenNamed('java', cli.pid);
      expect(java).toHaveLength(1);

      const client = localDynamoDbClient(endpoint as string);
      expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual([]);
      client.destroy();

      cli.kill('SIGINT');
      expect(await exitOf(cli)).toEqual({ code: 130, signal: null });
      expect(output.stderr()).toContain('DynamoDB Local stopped.');
      expect(await waitUntilGone(java[0] as number, 1_000)).toBe(true);
    } finally {
      cli.kill('SIGKILL');
    }
  });

  it('refuses a malformed port as a usage error', async () => {
    const cli = runCli(['local', '--port', '80a']);
    const output = collect(cli);
    expect((await exitOf(cli)).code).toBe(2);
    expect(output.stderr()).toContain("option '--port <number>' argument '80a' is invalid");
  });
});
