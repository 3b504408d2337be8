import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { BIN } from './cli.js';

/** `script` (util-linux) gives a command a pseudo-terminal; tests that need one skip without it. */
export const hasScript = spawnSync('script', ['--version']).status === 0;

export interface TerminalRun {
  child: ChildProcess;
  /** Everything the terminal showed so far, escape sequences removed. */
  screen: () => string;
  exited: Promise<number | null>;
}

/**
 * The built CLI with a pseudo-terminal on stdin, stdout and stderr (`cols` wide), as a user
 * runs it. CI is removed from the environment: a terminal is interactive wherever it runs.
 */
export function onTerminal(args: string[], env: NodeJS.ProcessEnv, cols = 160): TerminalRun {
  const command = [process.execPath, BIN, ...args].map((part) => `'${part.replace(/'/g, `'\\''`)}'`).join(' ');
  const terminalEnv: NodeJS.ProcessEnv = { ...env, TERM: 'xterm-256color' };
  delete terminalEnv.CI;
  delete terminalEnv.CONTINUOUS_INTEGRATION;
  const child = spawn('script', ['-qefc', `stty cols ${cols} rows 40; exec ${command}`, '/dev/null'], { env: terminalEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, screen: () => stripVTControlCharacters(output), exited };
}
