import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';

// Runs in its own small process. It holds the read end of a pipe whose write end only this
// (parent) process holds: when the parent dies in any way, SIGKILL included, the pipe ends and
// the watchdog stops DynamoDB Local. Terminal signals are ignored so Ctrl-C cannot kill it first.
const WATCHDOG_SCRIPT = `
const pid = Number(process.env.DDBSTREAM_WATCH_PID);
const grace = Number(process.env.DDBSTREAM_WATCH_GRACE_MS);
const group = process.env.DDBSTREAM_WATCH_GROUP === '1';
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => {});
const send = (sig) => { try { process.kill(group ? -pid : pid, sig); return true; } catch { return false; } };
const alive = () => { try { process.kill(pid, 0); return true; } catch { return false; } };
process.stdin.on('data', () => {});
process.stdin.on('close', () => {
  if (!send('SIGTERM')) process.exit(0);
  const started = Date.now();
  setInterval(() => {
    if (!alive()) process.exit(0);
    if (Date.now() - started > grace) { send('SIGKILL'); process.exit(0); }
  }, 100);
});
process.stdin.resume();
`;

/**
 * Starts the watchdog for `pid`. The parent kills it (SIGKILL) once the watched process has
 * exited, so a recycled pid is never signalled. It never keeps the parent's event loop alive.
 */
export function startWatchdog(pid: number, options: { graceMs: number; group: boolean }): ChildProcess {
  const watchdog = spawn(process.execPath, ['-e', WATCHDOG_SCRIPT], {
    stdio: ['pipe', 'ignore', 'ignore'],
    // Its own session on POSIX, so a signal to our process group does not reach it either.
    detached: process.platform !== 'win32',
    windowsHide: true,
    env: {
      PATH: process.env.PATH,
      DDBSTREAM_WATCH_PID: String(pid),
      DDBSTREAM_WATCH_GRACE_MS: String(options.graceMs),
      DDBSTREAM_WATCH_GROUP: options.group ? '1' : '0',
    },
  });
  watchdog.on('error', () => {
    // Best effort: the exit handler still stops DynamoDB Local on every ordinary exit.
  });
  watchdog.unref();
  (watchdog.stdin as Socket | null)?.unref();
  return watchdog;
}
