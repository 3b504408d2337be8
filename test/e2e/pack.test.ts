import { execFile, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { cleanEnv } from '../helpers/cli.js';
import { useDynamoDbLocal } from '../helpers/dynamodb-local.js';
import { tempDir } from '../helpers/temp-dir.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const local = useDynamoDbLocal();

interface PackResult {
  filename: string;
  size: number;
  files: { path: string }[];
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the installed `ddbstream` as a shell would: the link in the prefix's bin/, whose
 * `#!/usr/bin/env node` finds the Node that runs the tests first on PATH.
 */
function runInstalled(prefix: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Ran> {
  const env = { ...(options.env ?? cleanEnv()), PATH: `${dirname(process.execPath)}:${join(prefix, 'bin')}:${process.env.PATH}` };
  return new Promise((resolve, reject) => {
    const child = spawn(join(prefix, 'bin', 'ddbstream'), args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A handler in TypeScript: esbuild, from the installed package, must strip its types. */
const HANDLER = `import { appendFileSync } from 'node:fs';
interface Change { eventName: string; dynamodb: { Keys: Record<string, { S?: string }> } }
export const handler = async (event: { Records: Change[] }): Promise<void> => {
  const lines: string[] = event.Records.map((record: Change) => record.eventName + ' ' + record.dynamodb.Keys.pk!.S);
  appendFileSync(process.env.HANDLER_LOG as string, lines.join('\\n') + '\\n');
};
`;

/**
 * What a user who installs the published package gets: `npm pack`, a global install of the
 * tarball into an empty prefix (dependencies from the registry, or npm's cache when it has them),
 * and the installed command run from there.
 */
describe('the packed package', () => {
  it('holds what the CLI runs and nothing else; installed globally it exports, replays a .ts handler and runs the demo', async () => {
    const work = tempDir('ddbstream-pack-');
    const npmEnv = cleanEnv({ npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' });
    // dist/ is built by `npm test`; --ignore-scripts keeps pack from rebuilding it under running tests.
    const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, env: npmEnv, maxBuffer: 16 * 1024 * 1024 });
    const [pack] = JSON.parse(packed.stdout) as PackResult[];
    expect(pack!.filename).toBe(`ddbstream-${version}.tgz`);
    const files = pack!.files.map((file) => file.path);
    const unexpected = files.filter((file) => !/^dist\/.+\.js$/.test(file) && !['bin/ddbstream.js', 'README.md', 'package.json'].includes(file));
    expect(unexpected).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['bin/ddbstream.js', 'dist/main.js', 'dist/util/node-support.js']));
    // README's Install section gives the size; it grows with the code, not with data or tests.
    expect(pack!.size).toBeLessThan(300 * 1024);
    const tarball = join(work, pack!.filename);

    const prefix = join(work, 'global');
    const bare = join(work, 'no-scripts');
    try {
      // A global install into an empty prefix, as `npm i -g` does; and, side by side (npm mostly
      // waits on the disk), one where npm runs no install scripts (esbuild's among them), without
      // the optional DynamoDB Local.
      const install = (into: string, flags: string[]) =>
        run('npm', ['install', '-g', '--prefix', into, '--prefer-offline', ...flags, tarball], { env: npmEnv, maxBuffer: 16 * 1024 * 1024, timeout: 240_000 });
      await Promise.all([install(prefix, []), install(bare, ['--ignore-scripts', '--omit=optional'])]);

      const cwd = work;
      const versionRun = await runInstalled(prefix, ['--version'], { cwd });
      expect(versionRun).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });

      const table = local.tableName('packed');
      const { streamArn } = await local.createTableWithStream(table);
      for (const pk of ['a', 'b', 'c']) await local.dynamodb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk } } }));
      await local.readStreamRecords(streamArn, 3);

      const exported = await runInstalled(prefix, ['export', table], { cwd, env: local.cliEnv() });
      expect(exported.stderr).toBe('');
      expect(exported.code).toBe(0);
      expect(exported.stdout.trimEnd().split('\n').map((line) => (JSON.parse(line) as { keys: { pk: string } }).keys.pk)).toEqual(['a', 'b', 'c']);

      writeFileSync(join(work, 'handler.ts'), HANDLER);
      for (const installed of [prefix, bare]) {
        const log = join(work, `${installed === prefix ? 'global' : 'no-scripts'}.log`);
        const replayed = await runInstalled(installed, ['replay', table, '--handler', './handler.ts'], { cwd, env: local.cliEnv({ HANDLER_LOG: log }) });
        expect(replayed.stderr).toMatch(/^replay: 3 records: 3 handled · 1 invocation · [\d.]+ s\n$/);
        expect(replayed.code).toBe(0);
        expect(readFileSync(log, 'utf8')).toBe('INSERT a\nINSERT b\nINSERT c\n');
      }

      const demo = await runInstalled(prefix, ['demo', '--interval', '50'], { cwd, timeoutMs: 90_000 });
      expect(demo.code).toBe(0);
      expect(demo.stdout).toMatch(/ INSERT {2}ddbstream-demo /);
      expect(demo.stdout).toMatch(/ REMOVE {2}ddbstream-demo /);
    } finally {
      // Two installs with their dependencies: removed here, in the test's own time, rather than
      // in the clean-up hook's.
      await Promise.all([rm(prefix, { recursive: true, force: true }), rm(bare, { recursive: true, force: true })]);
    }
  }, 420_000);
});
