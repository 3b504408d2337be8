// The AWS SDK warns on Node 20 that future releases need Node 22. That is our concern, not the
// user's: silence it before any SDK module loads (commands are imported lazily below).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { CommanderError } from 'commander';
import { buildProgram } from './cli.js';
import { InterruptedError, OutputClosedError, exitCodeOf } from './errors.js';
import { describeError } from './error-message.js';
import { credentialValues } from './redact.js';
import type { CommandContext } from './context.js';

const controller = new AbortController();
let interruptedBy: 'SIGINT' | 'SIGTERM' | undefined;

function onSignal(signal: 'SIGINT' | 'SIGTERM'): void {
  if (interruptedBy) {
    // A second signal means "now": skip the clean shutdown.
    process.exit(signal === 'SIGINT' ? 130 : 143);
  }
  interruptedBy = signal;
  controller.abort(new InterruptedError(signal));
}
process.on('SIGINT', () => onSignal('SIGINT'));
process.on('SIGTERM', () => onSignal('SIGTERM'));

// `ddbstream export | head -1`: the reader went away. Stop quietly, as Unix tools do: let the
// command end its work (checkpoint saved), then exit 0. A command that does not notice is cut
// short after a moment.
let outputClosed = false;
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE' || outputClosed) return;
  outputClosed = true;
  controller.abort(new OutputClosedError());
  setTimeout(() => process.exit(0), 2_000).unref();
});

const argv = process.argv.slice(2);
const debug = argv.includes('--debug');

const context: CommandContext = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  signal: controller.signal,
  debug,
};

async function main(): Promise<number> {
  const program = buildProgram(context);
  try {
    await program.parseAsync(process.argv);
    if (outputClosed) return 0;
    return interruptedBy ? new InterruptedError(interruptedBy).exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its message (help, version, or a usage error).
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof OutputClosedError || outputClosed) return 0;
    if (error instanceof InterruptedError || (interruptedBy && controller.signal.aborted)) {
      return new InterruptedError(interruptedBy ?? 'SIGINT').exitCode;
    }
    process.stderr.write(describeError(error, debug, credentialValues(process.env)) + '\n');
    return exitCodeOf(error);
  }
}

const code = await main();
// Let stdout drain (a large final write into a pipe) before leaving, unless nobody reads it.
// Interrupted, the command already gave the reader its moment: the exit is due now.
if (process.stdout.writableLength > 0 && !outputClosed && !process.stdout.destroyed) {
  await new Promise<void>((resolve) => {
    process.stdout.once('drain', resolve);
    process.stdout.once('error', resolve);
    process.stdout.once('close', resolve);
    if (interruptedBy) setTimeout(resolve, 200).unref();
  });
}
process.exit(code);
