// Runs one command with its stdout through a real pipe into this process, where lines are only
// counted (like `| wc -l`): the output costs what a downstream tool would cost, and nothing is kept.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// BENCH_DDBSTREAM points at another build's bin/ddbstream.js, to compare two versions.
export const DDBSTREAM = process.env.BENCH_DDBSTREAM ?? fileURLToPath(new URL('../bin/ddbstream.js', import.meta.url));
export const SDK_BASELINE = fileURLToPath(new URL('./baseline-sdk-export.mjs', import.meta.url));

const GNU_TIME = '/usr/bin/time';
export const canMeasureRss = existsSync(GNU_TIME);

/**
 * Resolves with wall time (ms, spawn to exit), lines and bytes read from stdout, and, when GNU
 * time is there, the command's peak RSS (MB) and CPU time (user + system, ms).
 * Rejects when the command exits non-zero, with its stderr.
 */
export async function runMeasured(command, args, { env = process.env } = {}) {
  let usageFile;
  let argv = [command, ...args];
  if (canMeasureRss) {
    usageFile = join(await mkdtemp(join(tmpdir(), 'ddbstream-bench-')), 'usage');
    argv = [GNU_TIME, '-f', '%M %U %S', '-o', usageFile, ...argv];
  }
  const started = process.hrtime.bigint();
  const child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let lines = 0;
  let bytes = 0;
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    bytes += chunk.length;
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
  });
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const code = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode, signal) => resolve(exitCode ?? signal));
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  let peakRssMb;
  let cpuMs;
  if (usageFile) {
    // GNU time prefixes its line with "Command exited with non-zero status N" when it fails.
    const [rssKb, user, system] = (await readFile(usageFile, 'utf8')).trim().split('\n').pop().split(' ').map(Number);
    peakRssMb = rssKb / 1024;
    cpuMs = (user + system) * 1000;
    await rm(join(usageFile, '..'), { recursive: true, force: true });
  }
  if (code !== 0) throw new Error(`${[command, ...args].join(' ')} exited ${code}: ${stderr.trim()}`);
  return { ms, lines, bytes, peakRssMb, cpuMs, stderr };
}

/** Starts a long-running command whose stdout lines go to `onLine` with their arrival time. */
export function startStreaming(command, args, { env = process.env, onLine }) {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let partial = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    const now = process.hrtime.bigint();
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop();
    for (const line of parts) onLine(line, now);
  });
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const exited = new Promise((resolve) => child.once('close', (code, signal) => resolve(code ?? signal)));
  return {
    pid: child.pid,
    exited,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
