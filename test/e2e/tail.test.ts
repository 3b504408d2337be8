import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, cleanEnv } from '../helpers/cli.js';
import { startFakeStreams, type FakeStreams } from '../fake-streams/index.js';

interface Running {
  child: ChildProcess;
  output: () => string;
  errors: () => string;
  exited: Promise<number | null>;
}

function start(command: string, args: string[]): Running {
  const env = cleanEnv({ TERM: 'xterm-256color' });
  // On a CI machine ink draws only the final frame; the terminal run must look like a person's.
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
  const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => stdout, errors: () => stderr, exited };
}

const tail = (args: string[]): Running => start(process.execPath, [BIN, 'tail', ...args]);

async function waitFor(check: () => boolean, what: string, running?: Running, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${running ? `\nstdout: ${running.output()}\nstderr: ${running.errors()}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

let fake: FakeStreams;
let streamArn: string;
const started: Running[] = [];

beforeEach(async () => {
  fake = await startFakeStreams();
  streamArn = fake.addTable({ tableName: 'Users', stream: { viewType: 'NEW_AND_OLD_IMAGES', shards: 1 } }).streamArn!;
});

afterEach(async () => {
  for (const running of started.splice(0)) if (running.child.exitCode === null) running.child.kill('SIGKILL');
  await fake.close();
});

const BIG = '12345678901234567890123456789012345678';

describe('ddbstream tail', () => {
  it('writes NDJSON into a pipe for records written after it started, exact, and stops after -n', async () => {
    const running = tail(['Users', '--endpoint-url', fake.endpoint, '-n', '2']);
    started.push(running);
    // From LATEST: only writes after the first poll are the tail's to see.
    await waitFor(() => fake.log.count({ action: 'GetRecords' }) > 0, 'the first poll', running);
    fake.write(streamArn, { newImage: { pk: { S: 'alice' }, big: { N: BIG } } });
    fake.write(streamArn, { oldImage: { pk: { S: 'alice' }, big: { N: BIG } }, newImage: { pk: { S: 'alice' }, big: { N: BIG }, nick: { S: 'al' } } });
    expect(await running.exited).toBe(0);
    const lines = running.output().trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(`"big":${BIG}`);
    const [insert, modify] = lines.map((l) => JSON.parse(l) as { eventName: string; keys: unknown; newImage: Record<string, unknown> });
    expect(insert).toMatchObject({ eventName: 'INSERT', keys: { pk: 'alice' } });
    expect(modify).toMatchObject({ eventName: 'MODIFY', newImage: { nick: 'al' } });
    expect(running.output()).not.toContain('\u001b[');
  });

  it('writes plain text blocks with diffs, without colour in a pipe, and follows child shards after a split', async () => {
    const [parent] = fake.shardsOf(streamArn).map((s) => s.shardId);
    fake.write(streamArn, { newImage: { pk: { S: 'p1' }, email: { S: 'old@example.com' } } });
    const running = tail(['Users', '--endpoint-url', fake.endpoint, '--format', 'plain', '--from', 'trim-horizon', '-n', '6']);
    started.push(running);
    await waitFor(() => running.output().includes('pk=p1'), 'the parent record', running);
    fake.write(streamArn, {
      oldImage: { pk: { S: 'p1' }, email: { S: 'old@example.com' } },
      newImage: { pk: { S: 'p1' }, email: { S: 'new@example.com' } },
    });
    const children = fake.split(parent!, 2);
    for (const pk of ['c1', 'c2', 'c3', 'c4']) fake.write(streamArn, { newImage: { pk: { S: pk } } });
    expect(await running.exited).toBe(0);
    const text = running.output();
    expect(text).toContain('~ email  "old@example.com" → "new@example.com"');
    for (const pk of ['p1', 'c1', 'c2', 'c3', 'c4']) expect(text).toContain(`pk=${pk} `);
    // The parent's records come before any child's.
    expect(text.lastIndexOf('pk=p1')).toBeLessThan(Math.min(...['c1', 'c2', 'c3', 'c4'].map((pk) => text.indexOf(`pk=${pk}`))));
    // The four later writes really went to the children, not to the closed parent.
    expect(children.reduce((sum, id) => sum + fake.shardInfo(id).recordCount, 0)).toBe(4);
    expect(text.split('\n\n')).toHaveLength(6);
    expect(text).not.toContain('\u001b[');
  });

  it('polls an idle shard no more than about 4 times a second', async () => {
    const running = tail(['Users', '--endpoint-url', fake.endpoint]);
    started.push(running);
    await waitFor(() => fake.log.count({ action: 'GetRecords' }) > 0, 'the first poll', running);
    const before = fake.log.count({ action: 'GetRecords' });
    await new Promise((r) => setTimeout(r, 2_000));
    const polls = fake.log.count({ action: 'GetRecords' }) - before;
    expect(polls).toBeGreaterThan(0);
    expect(polls).toBeLessThanOrEqual(9);
    running.child.kill('SIGINT');
    expect(await running.exited).toBe(130);
  });

  it('refuses the interactive view without a terminal', async () => {
    const running = tail(['Users', '--endpoint-url', fake.endpoint, '--format', 'pretty']);
    started.push(running);
    expect(await running.exited).toBe(2);
    expect(running.errors()).toMatch(/--format pretty needs a terminal/);
  });

  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.skipIf(!hasScript)('runs the interactive view in a terminal: shows a write, quits on q with exit 0', async () => {
    // `script` gives the CLI a pseudo-terminal on stdin and stdout; keys written here reach it.
    const command = [process.execPath, BIN, 'tail', 'Users', '--endpoint-url', fake.endpoint]
      .map((part) => `'${part.replace(/'/g, `'\\''`)}'`).join(' ');
    const running = start('script', ['-qefc', `stty cols 120 rows 40; exec ${command}`, '/dev/null']);
    started.push(running);
    const screen = (): string => stripVTControlCharacters(running.output());
    await waitFor(() => screen().includes('Users · NEW_AND_OLD_IMAGES') && fake.log.count({ action: 'GetRecords' }) > 0, 'the status area', running);
    fake.write(streamArn, { newImage: { pk: { S: 'alice' }, email: { S: 'alice@example.com' } } });
    await waitFor(() => screen().includes('pk=alice') && screen().includes('1 record '), 'the record on screen', running);
    expect(screen()).toContain('email  "alice@example.com"');
    expect(running.output()).toContain('\u001b[32m'); // INSERT in green on a terminal
    running.child.stdin!.write('q');
    expect(await running.exited).toBe(0);
    // The terminal is given back: the cursor is shown again.
    expect(running.output()).toContain('\u001b[?25h');
  });
});
