// The fake DynamoDB Streams endpoint (test/fake-streams, TypeScript) bundled at bench time:
// as its own process (so the measured client never shares a heap or a core's event loop with
// it), or imported here when a benchmark needs its call log.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
let bundleDir;

async function bundle(entry, name) {
  bundleDir ??= await mkdtemp(join(tmpdir(), 'ddbstream-bench-fake-'));
  const outfile = join(bundleDir, `${name}.mjs`);
  await build({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'error',
    absWorkingDir: ROOT,
  });
  return outfile;
}

/** Removes the bundles (call once at the end of a benchmark). */
export async function cleanFakeBundles() {
  if (bundleDir) await rm(bundleDir, { recursive: true, force: true });
  bundleDir = undefined;
}

/**
 * Starts the fake as a process with the given cli.ts flags; resolves with its JSON line
 * ({endpoint, tableName, streamArn, shards, records}) and `stop()`.
 */
export async function startFakeProcess(args) {
  const file = await bundle('test/fake-streams/cli.ts', 'fake-cli');
  const child = spawn(process.execPath, [file, ...args, '--watch-stdin'], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('close', resolve));
  const lines = createInterface({ input: child.stdout });
  const info = await new Promise((resolve, reject) => {
    lines.once('line', (line) => resolve(JSON.parse(line)));
    child.once('error', reject);
    void exited.then((code) => reject(new Error(`fake-streams exited ${code} before listening`)));
  });
  return {
    ...info,
    pid: child.pid,
    async stop() {
      // --watch-stdin: closing its stdin stops it, even if this process dies first.
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The fake's library (startFakeStreams, syntheticRecords, ...) loaded into this process. */
export async function importFakeLibrary() {
  const file = await bundle('test/fake-streams/index.ts', 'fake-lib');
  return import(pathToFileURL(file).href);
}
