import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeStreams, type FakeStreams } from '../fake-streams/index.js';
import { BIN, assertBuilt, cleanEnv, runCli } from '../helpers/cli.js';
import { useTempDir } from '../helpers/temp-dir.js';

const run = promisify(execFile);
/**
 * Each TAB starts the CLI once, which takes a fraction of a second, but many seconds on a
 * machine busy with other test files: these bound a hang, they are not what is tested.
 */
const TAB_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = 120_000;
let fake: FakeStreams;
let binDir: string;
let work: string;
const shared = useTempDir('ddbstream-completion-e2e-');

beforeAll(async () => {
  assertBuilt();
  fake = await startFakeStreams();
  fake.addTable({ tableName: 'Users', stream: { shards: 1 } });
  fake.addTable({ tableName: 'UserEvents', stream: { shards: 1 } });
  fake.addTable({ tableName: 'Orders', stream: { shards: 1 } });
  // `ddbstream` on PATH as a user has it, run by the Node that runs the tests.
  const root = shared.path;
  binDir = join(root, 'bin');
  mkdirSync(binDir);
  writeFileSync(join(binDir, 'ddbstream'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(join(binDir, 'ddbstream'), 0o755);
  work = join(root, 'work');
  mkdirSync(work);
  writeFileSync(join(work, 'handler.ts'), '');
  writeFileSync(join(work, 'hooks.mjs'), '');
});
afterAll(async () => {
  await fake?.close();
});

/**
 * A real bash sources the script, then calls the function that `complete -p ddbstream` names,
 * as bash does on TAB, with COMP_WORDS and COMP_CWORD set; COMPREPLY comes back one per line.
 */
async function tab(words: string[], env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  const quoted = words.map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = [
    'source <(ddbstream completion bash)',
    'spec=$(complete -p ddbstream)',
    'fn=$(sed -E "s/.*-F ([^ ]+).*/\\1/" <<<"$spec")',
    `COMP_WORDS=(ddbstream ${quoted})`,
    'COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))',
    'COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}',
    '"$fn" ddbstream "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const { stdout, stderr } = await run('bash', ['-c', script], {
    cwd: work,
    env: cleanEnv({ PATH: `${binDir}:${process.env.PATH}`, XDG_CACHE_HOME: join(work, '..', 'cache'), ...env }),
    timeout: TAB_TIMEOUT_MS,
  });
  expect(stderr).toBe('');
  return stdout.split('\n').filter(Boolean);
}

describe('bash completion', () => {
  it('registers a function for ddbstream', async () => {
    const { stdout } = await run('bash', ['-c', 'source <(ddbstream completion bash); complete -p ddbstream'], {
      env: cleanEnv({ PATH: `${binDir}:${process.env.PATH}` }),
    });
    expect(stdout.trim()).toBe('complete -F _ddbstream_completion ddbstream');
  }, TEST_TIMEOUT_MS);

  it('completes commands, options and enumerated values', async () => {
    expect(await tab(['ex'])).toEqual(['export']);
    expect(await tab(['export', '--ra'])).toEqual(['--raw']);
    expect(await tab(['tail', '--format', ''])).toEqual(['pretty', 'plain', 'ndjson', 'raw']);
    expect(await tab(['export', '--from', 'l'])).toEqual(['latest']);
  }, TEST_TIMEOUT_MS);

  it('completes file names for file options', async () => {
    expect((await tab(['replay', '--handler', 'h'])).sort()).toEqual(['handler.ts', 'hooks.mjs']);
  }, TEST_TIMEOUT_MS);

  it('completes table names from ListStreams of the endpoint on the line', async () => {
    expect(await tab(['tail', '--endpoint-url', fake.endpoint, 'User'])).toEqual(['UserEvents', 'Users']);
    expect(await tab(['export', 'O'], { AWS_ENDPOINT_URL: fake.endpoint })).toEqual(['Orders']);
  }, TEST_TIMEOUT_MS);

  it('completes nothing, and prints nothing, when the tables cannot be listed', async () => {
    expect(await tab(['tail', ''], { AWS_REGION: 'us-east-1' })).toEqual([]);
  }, TEST_TIMEOUT_MS);
});

describe('the completion scripts', () => {
  it('prints one for each shell and refuses others with exit 2', async () => {
    for (const shell of ['bash', 'zsh', 'fish']) {
      const result = await runCli(['completion', shell]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('ddbstream __complete --');
    }
    const wrong = await runCli(['completion', 'tcsh']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/'tcsh' is invalid for argument 'shell'\. Allowed choices are bash, zsh, fish\./);
  }, TEST_TIMEOUT_MS);
});
