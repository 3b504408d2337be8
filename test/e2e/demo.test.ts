import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BIN, cleanEnv, runCli } from '../helpers/cli.js';
import { isAlive } from '../helpers/processes.js';

/** Live java processes serving DynamoDB Local on `port` (found by their command line). */
function dynamoDbLocalOnPort(port: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const at = args.indexOf('-port');
    if (args.some((a) => a.includes('DynamoDBLocal.jar')) && at >= 0 && args[at + 1] === port && isAlive(Number(entry))) {
      pids.push(Number(entry));
    }
  }
  return pids;
}

function portOf(output: string): string {
  const port = /running at http:\/\/localhost:(\d+)/.exec(output)?.[1];
  if (!port) throw new Error(`no endpoint in the demo output:\n${output}`);
  return port;
}

describe('ddbstream demo', () => {
  it('plays the script through tail in a pipe, exits 0 and leaves no DynamoDB Local behind', async () => {
    const result = await runCli(['demo', '--interval', '100'], { env: cleanEnv(), timeoutMs: 90_000 });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(/export AWS_ENDPOINT_URL=http:\/\/localhost:\d+/);
    // Every kind of change, rendered by the tail path: headers, diff lines, nested paths, sets.
    expect(out.match(/ INSERT {2}ddbstream-demo /g)?.length).toBe(2);
    expect(out.match(/ MODIFY {2}ddbstream-demo /g)?.length).toBe(5);
    expect(out.match(/ REMOVE {2}ddbstream-demo /g)?.length).toBe(2);
    expect(out).toMatch(/~ profile\.city +"London" → "Paris"/);
    expect(out).toMatch(/~ tags +added <<"beta">>/);
    expect(out).toMatch(/\+ addresses\[1\]/);
    expect(out).toMatch(/ddbstream export ddbstream-demo \| jq/);
    expect(dynamoDbLocalOnPort(portOf(out))).toEqual([]);
  }, 120_000);

  it('says how to install Java when there is none, exit 1', async () => {
    const result = await runCli(['demo'], { env: cleanEnv({ PATH: '/nonexistent', JAVA_HOME: '' }) });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/needs Java.*install Java 17 or newer.*openjdk-17-jre-headless/);
  });

  it('stops DynamoDB Local when interrupted mid-demo, exit 130', async () => {
    const child = spawn(process.execPath, [BIN, 'demo', '--interval', '1500'], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // Wait until the first change is on screen, then press Ctrl-C.
    const started = Date.now();
    while (!/ INSERT {2}ddbstream-demo /.test(out)) {
      if (Date.now() - started > 60_000) throw new Error(`the demo showed nothing:\n${out}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const port = portOf(out);
    expect(dynamoDbLocalOnPort(port).length).toBe(1);
    const interruptedAt = Date.now();
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(Date.now() - interruptedAt).toBeLessThan(5_000);
    expect(dynamoDbLocalOnPort(port)).toEqual([]);
  }, 120_000);
});
