import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, runCli } from '../helpers/cli.js';
import { childrenNamed } from '../helpers/processes.js';
import { startFakeStreams, type FakeStreams } from '../fake-streams/index.js';
import { parseNdjson, startCli, type RunningCli } from './export-helpers.js';
import { expectExactExport, readCheckpoint, storedSequenceNumbers, type ExportedLine } from './fake-expectations.js';

/**
 * Process faults seen from the command line: signals, a reader of stdout that goes away, and
 * checkpoint files that are damaged, foreign or out of date.
 */

let fake: FakeStreams;
let dir: string;
const running: RunningCli[] = [];
const timers: NodeJS.Timeout[] = [];

beforeEach(async () => {
  fake = await startFakeStreams();
  dir = await mkdtemp(join(tmpdir(), 'ddbstream-process-'));
});

afterEach(async () => {
  for (const timer of timers.splice(0)) clearInterval(timer);
  for (const cli of running.splice(0)) if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

const env = (): NodeJS.ProcessEnv => cleanEnv({ AWS_ENDPOINT_URL: fake.endpoint });

function start(args: string[]): RunningCli {
  const cli = startCli(args, env());
  running.push(cli);
  return cli;
}

function oneShard(tableName = 'T'): { streamArn: string; shardId: string } {
  const { streamArn } = fake.addTable({ tableName, stream: { shards: 1 } });
  return { streamArn: streamArn!, shardId: fake.shardsOf(streamArn!)[0]!.shardId };
}

/** Table writes going on all the time: `perTick` items every 10 ms, numbered from 0. */
function keepWriting(streamArn: string, perTick = 5): () => void {
  let next = 0;
  const timer = setInterval(() => {
    for (let i = 0; i < perTick; i++, next++) fake.write(streamArn, { newImage: { pk: { S: `item-${next}` }, n: { N: String(next) } } });
  }, 10);
  timers.push(timer);
  return () => clearInterval(timer);
}

const SIGNALS = [
  { signal: 'SIGINT', code: 130 },
  { signal: 'SIGTERM', code: 143 },
] as const;

describe('signals while records flow', () => {
  it.each(SIGNALS)('export --follow, $signal: exit $code within 2 s, whole lines, a rerun from the checkpoint completes the stream exactly', async ({ signal, code }) => {
    const { streamArn, shardId } = oneShard();
    const stopWriting = keepWriting(streamArn);
    const checkpoint = join(dir, 'cp.json');
    const cli = start(['export', 'T', '--follow', '--checkpoint', checkpoint, '--poll-interval', '50']);
    await cli.waitForLine(() => cli.lines.length >= 100);
    const sent = Date.now();
    cli.child.kill(signal);
    const exit = await cli.exited;
    stopWriting();
    expect(exit.code).toBe(code);
    expect(exit.at - sent).toBeLessThan(2_000);
    expect(cli.stderr()).toBe('');

    // Whole lines only (a cut line would not parse), and the checkpoint at the last one.
    const first = parseNdjson<ExportedLine>(cli.stdout());
    expect((await readCheckpoint(checkpoint)).shards[shardId]?.sequenceNumber).toBe(first.at(-1)!.sequenceNumber);
    const rerun = await runCli(['export', 'T', '--checkpoint', checkpoint], { env: env() });
    expect(rerun.code).toBe(0);
    expectExactExport(fake, [...first, ...parseNdjson<ExportedLine>(rerun.stdout)], [shardId]);
  });

  it('export --follow, kill -9: a rerun from the checkpoint skips nothing, and repeats only what came after its last save', async () => {
    const { streamArn, shardId } = oneShard();
    const stopWriting = keepWriting(streamArn);
    const checkpoint = join(dir, 'cp.json');
    const cli = start(['export', 'T', '--follow', '--checkpoint', checkpoint, '--poll-interval', '50']);
    // The checkpoint is saved about once a second while running: wait for a save, then more lines.
    await cli.waitForLine(() => cli.lines.length >= 50);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    cli.child.kill('SIGKILL');
    await cli.exited;
    stopWriting();

    const text = cli.stdout();
    const first = parseNdjson<ExportedLine>(text.slice(0, text.lastIndexOf('\n') + 1)).map((line) => line.sequenceNumber);
    const all = storedSequenceNumbers(fake, shardId);
    expect(first).toEqual(all.slice(0, first.length));
    const saved = (await readCheckpoint(checkpoint)).shards[shardId]?.sequenceNumber;
    expect(first).toContain(saved);
    const rerun = await runCli(['export', 'T', '--checkpoint', checkpoint], { env: env() });
    expect(rerun.code).toBe(0);
    const rest = parseNdjson<ExportedLine>(rerun.stdout).map((line) => line.sequenceNumber);
    expect(rest).toEqual(all.slice(all.indexOf(saved!) + 1));
  });

  it.each(SIGNALS)('tail --format plain, $signal: exit $code within 2 s, whole blocks, the checkpoint at a record shown', async ({ signal, code }) => {
    const { streamArn, shardId } = oneShard();
    const stopWriting = keepWriting(streamArn);
    const checkpoint = join(dir, 'cp.json');
    const cli = start(['tail', 'T', '--format', 'plain', '--from', 'trim-horizon', '--checkpoint', checkpoint, '--poll-interval', '50']);
    await cli.waitForLine(() => cli.lines.filter((line) => / seq \d+$/.test(line)).length >= 100);
    const sent = Date.now();
    cli.child.kill(signal);
    const exit = await cli.exited;
    stopWriting();
    expect(exit.code).toBe(code);
    expect(exit.at - sent).toBeLessThan(2_000);
    expect(cli.stderr()).toBe('');

    const stdout = cli.stdout();
    expect(stdout.endsWith('\n')).toBe(true);
    // Each block: a header naming the record, then its attributes; none cut short.
    const blocks = stdout.replace(/\n$/, '').split('\n\n');
    const shown = blocks.map((block) => {
      const [header, ...body] = block.split('\n');
      expect(header).toMatch(/^\S+Z {2}INSERT {2}T {2}pk=item-\d+ {2}shard \S+ {2}seq \d+$/);
      expect(body).toEqual([expect.stringMatching(/^ {2}pk {2}"item-\d+"$/), expect.stringMatching(/^ {2}n {3}\d+$/)]);
      return /seq (\d+)$/.exec(header!)![1]!;
    });
    const all = storedSequenceNumbers(fake, shardId);
    expect(shown).toEqual(all.slice(0, shown.length));
    // A rerun goes on right after the last record shown, or repeats the last page at most.
    const saved = (await readCheckpoint(checkpoint)).shards[shardId]?.sequenceNumber;
    expect(shown).toContain(saved);
  });

  it('tail, SIGINT while the reader of stdout has stopped reading: exit 130 within 2 s, and nothing it never got is checkpointed', async () => {
    const { shardId } = oneShard();
    fake.appendGenerated(shardId, { count: 1_200 });
    const checkpoint = join(dir, 'cp.json');
    const cli = start(['tail', 'T', '--format', 'ndjson', '--from', 'trim-horizon', '--checkpoint', checkpoint, '--poll-interval', '50']);
    await cli.waitForLine(() => true);
    cli.child.stdout.pause();
    // Long enough for the pipe to fill and the tail to wait on it.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const sent = Date.now();
    cli.child.kill('SIGINT');
    // Still not reading: the exit must not wait for it. What is in the pipe is read afterwards.
    const gone = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 5_000);
      cli.child.once('exit', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    cli.child.stdout.resume();
    expect(gone).toBe(true);
    const exit = await cli.exited;
    expect(exit.code).toBe(130);
    expect(exit.at - sent).toBeLessThan(2_000);

    // A line the reader never took may be cut at the exit (nobody was there to finish it for);
    // every line before it is whole, and the checkpoint stays before the cut.
    const text = cli.stdout();
    const first = parseNdjson<ExportedLine>(text.slice(0, text.lastIndexOf('\n') + 1));
    const all = storedSequenceNumbers(fake, shardId);
    expect(first.map((line) => line.sequenceNumber)).toEqual(all.slice(0, first.length));
    const rerun = await runCli(['export', 'T', '--checkpoint', checkpoint], { env: env() });
    expect(rerun.code).toBe(0);
    const again = parseNdjson<ExportedLine>(rerun.stdout).map((line) => line.sequenceNumber);
    // No gap: the rerun starts at or before the first record the tail did not deliver.
    expect(again.length).toBeGreaterThan(0);
    expect(all.indexOf(again[0]!)).toBeLessThanOrEqual(first.length);
    expect(again).toEqual(all.slice(all.indexOf(again[0]!)));
  });
});

describe('a second signal', () => {
  it('ends the wait for a stalled reader of stdout at once', async () => {
    const { shardId } = oneShard();
    fake.appendGenerated(shardId, { count: 1_200 });
    const cli = start(['export', 'T', '--follow', '--poll-interval', '50']);
    await cli.waitForLine(() => true);
    cli.child.stdout.pause();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exitAt = new Promise<number>((resolve) => cli.child.once('exit', () => resolve(Date.now())));
    // The first signal gives the reader a second to take the last lines; the second one does not wait.
    cli.child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = Date.now();
    cli.child.kill('SIGTERM');
    const at = await exitAt;
    cli.child.stdout.resume();
    expect((await cli.exited).code).toBe(143);
    expect(at - second).toBeLessThan(600);
  });
});

describe('a reader of stdout that goes away', () => {
  it.each(['ndjson', 'plain'])('tail --format %s | head: exit 0, nothing on stderr', async (format) => {
    const { streamArn } = oneShard();
    keepWriting(streamArn);
    const cli = start(['tail', 'T', '--format', format, '--from', 'trim-horizon', '--poll-interval', '50']);
    await cli.waitForLine(() => true);
    cli.child.stdout.destroy();
    const exit = await cli.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(cli.stderr()).toBe('');
  });
});

describe('checkpoint files', () => {
  /** A checkpoint as a run would have left it: `shards` with their last sequence numbers. */
  async function writeCheckpoint(path: string, streamArn: string, shards: Record<string, { sequenceNumber?: string; finished?: boolean }>): Promise<void> {
    const content = { format: 'ddbstream-checkpoint', version: 1, streamArn, updatedAt: new Date().toISOString(), shards };
    await writeFile(path, JSON.stringify(content));
  }

  it.each([
    { command: 'export', args: [] as string[] },
    { command: 'tail', args: ['--format', 'ndjson', '-n', '5'] },
  ])('$command: a shard of the checkpoint that aged out is a warning, and its children are read from TRIM_HORIZON', async ({ command, args }) => {
    const { streamArn, shardId: parent } = oneShard();
    fake.appendGenerated(parent, { count: 10 });
    const [child] = fake.split(parent, 1);
    fake.appendGenerated(child!, { count: 5 });
    const checkpoint = join(dir, 'cp.json');
    await writeCheckpoint(checkpoint, streamArn, { [parent]: { sequenceNumber: storedSequenceNumbers(fake, parent)[3] } });
    fake.dropShard(parent);

    const result = await runCli([command, 'T', '--checkpoint', checkpoint, ...args], { env: env() });
    expect(result.code).toBe(0);
    expect(result.stderr.trim().split('\n')).toEqual([
      `ddbstream: warning: shard ${parent} from the checkpoint no longer exists (trimmed); its descendants are read from TRIM_HORIZON`,
    ]);
    expectExactExport(fake, parseNdjson<ExportedLine>(result.stdout), [child!]);
    expect(fake.log.entries({ action: 'GetShardIterator', shardId: child })[0]?.params.ShardIteratorType).toBe('TRIM_HORIZON');
  });

  it('are created readable and writable by the user only (0600)', async () => {
    const { shardId } = oneShard();
    fake.appendGenerated(shardId, { count: 3 });
    const checkpoint = join(dir, 'cp.json');
    const result = await runCli(['export', 'T', '--checkpoint', checkpoint], { env: env() });
    expect(result.code).toBe(0);
    expect((await stat(checkpoint)).mode & 0o777).toBe(0o600);
  });
});

const hasScript = spawnSync('script', ['--version']).status === 0;

describe.skipIf(!hasScript)('the interactive view, in a terminal', () => {
  interface Terminal {
    output: () => string;
    write: (keys: string) => void;
    /** The ddbstream process inside the terminal. */
    pid: () => number | undefined;
    exited: Promise<void>;
  }

  /**
   * `script` gives the CLI a pseudo-terminal. After the CLI ends, the shell there prints its exit
   * code and the terminal's settings, which show whether raw mode was left on.
   */
  function terminal(args: string[]): Terminal {
    const quote = (part: string): string => `'${part.replace(/'/g, `'\\''`)}'`;
    const command = [process.execPath, BIN, ...args].map(quote).join(' ');
    const env = cleanEnv({ TERM: 'xterm-256color' });
    delete env.CI;
    delete env.CONTINUOUS_INTEGRATION;
    const child = spawn('script', ['-qefc', `stty cols 120 rows 40; ${command}; echo "ddbstream-exit=$?"; stty -a`, '/dev/null'], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const exited = new Promise<void>((resolve) => child.on('close', () => {
      clearTimeout(guard);
      resolve();
    }));
    const pid = (): number | undefined => {
      const shells = childrenOf(child.pid!);
      return shells.flatMap((shell) => childrenNamed('node', shell))[0];
    };
    return { output: () => output, write: (keys) => child.stdin.write(keys), pid, exited };
  }

  async function waitFor(check: () => boolean, what: string, term: Terminal): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen: ${stripVTControlCharacters(term.output())}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const cases = [
    { name: 'Ctrl-C quits like q: exit 0', stop: (term: Terminal) => term.write('\u0003'), code: 0 },
    { name: 'SIGTERM: exit 143', stop: (term: Terminal) => process.kill(term.pid()!, 'SIGTERM'), code: 143 },
  ];

  it.each(cases)('$name, the terminal restored and the checkpoint saved', async ({ stop, code }) => {
    const { streamArn, shardId } = oneShard();
    const checkpoint = join(dir, 'cp.json');
    const term = terminal(['tail', 'T', '--endpoint-url', fake.endpoint, '--checkpoint', checkpoint, '--poll-interval', '50']);
    await waitFor(() => stripVTControlCharacters(term.output()).includes('T · NEW_AND_OLD_IMAGES') && term.pid() !== undefined, 'the status area', term);
    await waitFor(() => fake.log.count({ action: 'GetRecords' }) > 0, 'the first poll', term);
    const { sequenceNumber } = fake.write(streamArn, { newImage: { pk: { S: 'alice' } } });
    await waitFor(() => stripVTControlCharacters(term.output()).includes('pk=alice'), 'the record on screen', term);
    const sent = Date.now();
    stop(term);
    await waitFor(() => term.output().includes('ddbstream-exit='), 'the exit', term);
    expect(Date.now() - sent).toBeLessThan(2_000);
    await term.exited;
    const screen = stripVTControlCharacters(term.output());
    expect(screen).toContain(`ddbstream-exit=${code}`);
    // The cursor is shown again, and the terminal is out of raw mode: line editing and echo back.
    expect(term.output()).toContain('\u001b[?25h');
    const settings = screen.slice(screen.indexOf('ddbstream-exit='));
    expect(settings).toMatch(/(^|\s)icanon(\s|$)/m);
    expect(settings).toMatch(/(^|\s)echo(\s|$)/m);
    expect(settings).toMatch(/(^|\s)isig(\s|$)/m);
    expect(screen).not.toMatch(/\n\s+at /);
    expect((await readCheckpoint(checkpoint)).shards[shardId]?.sequenceNumber).toBe(sequenceNumber);
  });
});

/** Pids of every live child of `parent`. */
function childrenOf(parent: number): number[] {
  const result = spawnSync('pgrep', ['-P', String(parent)], { encoding: 'utf8' });
  return result.stdout.split('\n').filter(Boolean).map(Number);
}
