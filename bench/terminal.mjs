// Runs a command on a pseudo-terminal (util-linux `script`), so ddbstream draws its interactive
// view as it would for a person. The terminal's output comes back through a pipe into this
// process, where complete lines are handed to `onLine` with their escape codes stripped and are
// not kept.
import { spawn, spawnSync } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';

export const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

const quote = (part) => `'${String(part).replace(/'/g, `'\\''`)}'`;

/**
 * Starts `argv` on a terminal of `cols` × `rows`. Resolves `exited` with the command's exit code
 * (`script -e` passes it on). The terminal's input stays open, and empty, until then.
 */
export function startInTerminal(argv, { cols = 200, rows = 50, env = process.env, onLine = () => {} } = {}) {
  const terminalEnv = { ...env, TERM: 'xterm-256color' };
  // On a CI machine ink draws only the final frame; the run must look like a person's.
  delete terminalEnv.CI;
  delete terminalEnv.CONTINUOUS_INTEGRATION;
  const command = `stty cols ${cols} rows ${rows}; exec ${argv.map(quote).join(' ')}`;
  const child = spawn('script', ['-qefc', command, '/dev/null'], { env: terminalEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  let partial = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop();
    for (const line of lines) onLine(stripVTControlCharacters(line));
  });
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise((resolve) => child.once('close', (code, signal) => resolve(code ?? signal)));
  return { exited, stderr: () => stderr };
}

/** A record block's first line in the view: `… INSERT  Bench  pk=item-1  shard 3f9a1c2e  seq 000…`. */
export const isRecordHeader = (line) => /\bseq \d+/.test(line);
