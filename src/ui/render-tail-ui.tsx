import { render } from 'ink';
import { TailApp, type TailAppProps } from './tail-app.js';
import { writeTerminalWithoutBlocking } from './terminal-writes.js';

export interface TailUiOptions extends Omit<TailAppProps, 'onQuit' | 'onEnd'> {
  stdout: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  stderr: NodeJS.WriteStream;
}

/**
 * Draws the interactive view until the user quits (`quit`) or the stream ends (`end`); rejects
 * with the reader's error. The terminal is restored (raw mode off, cursor shown) before it settles.
 */
export function renderTailUi(options: TailUiOptions): Promise<'quit' | 'end'> {
  const { stdout, stdin, stderr, ...props } = options;
  const restoreBlocking = writeTerminalWithoutBlocking(stdout);
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (outcome: { reason: 'quit' | 'end' } | { error: unknown }): void => {
      if (settled) return;
      settled = true;
      // Deferred: a callback may fire while ink is still inside render().
      setImmediate(() => {
        instance.unmount();
        // Ink settles once everything it wrote has been taken; blocking writes are safe again.
        void exited.finally(() => {
          restoreBlocking();
          if ('error' in outcome) reject(outcome.error);
          else resolve(outcome.reason);
        });
      });
    };
    const instance = render(
      <TailApp
        {...props}
        onQuit={() => finish({ reason: 'quit' })}
        onEnd={(error) => finish(error === undefined ? { reason: 'end' } : { error })}
      />,
      // Ctrl-C arrives as a key in raw mode; the app treats it like `q` so the command exits cleanly.
      { stdout, stdin, stderr, exitOnCtrlC: false, patchConsole: false },
    );
    // Taken before unmounting: ink only settles an exit promise that already exists.
    const exited = instance.waitUntilExit().catch(() => undefined);
  });
}
