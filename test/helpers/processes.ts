import { execFileSync } from 'node:child_process';

function psField(pid: number, field: 'comm' | 'stat'): string | undefined {
  try {
    return execFileSync('ps', ['-o', `${field}=`, '-p', String(pid)], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * True while the process runs. A zombie (ended, not yet reaped by whoever adopted it) counts as
 * gone: it holds no port and no memory.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const state = psField(pid, 'stat');
  return state !== undefined && !state.startsWith('Z');
}

/** The command name of a process, or undefined when there is none with this pid. */
export function commandOf(pid: number): string | undefined {
  return psField(pid, 'comm');
}

/** Pids of the live children named `name` of `parent` (default: this process). */
export function childrenNamed(name: string, parent: number = process.pid): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(parent), '-x', name], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number)
      .filter(isAlive);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

/** Waits (bounded) until the process is gone; false if it is still there after `ms`. */
export async function waitUntilGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isAlive(pid);
}
