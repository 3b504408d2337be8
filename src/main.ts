// The AWS SDK warns on Node 20 that future releases need Node 22. That is our concern, not the
// user's: silence it before any SDK module loads (commands are imported lazily below).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { createRequire } from 'node:module';
import { InterruptedError, OutputClosedError, exitCodeOf, interruptedExitCode, type InterruptSignal } from './util/errors.js';
import type { CommandContext } from './io/command-context.js';

// Start-up time is most of what `--version` and `--help` cost: the program (commander, every
// command's options) loads only when something needs it, and the words for an error only when
// one happened.

const controller = new AbortController();
let interruptedBy: InterruptSignal | undefined;

function onSignal(signal: InterruptSignal): void {
  if (interruptedBy) {
    // A second signal means "now": skip the clean shutdown.
    process.exit(interruptedExitCode(signal));
  }
  interruptedBy = signal;
  controller.abort(new InterruptedError(signal));
}
process.on('SIGINT', () => onSignal('SIGINT'));
process.on('SIGTERM', () => onSignal('SIGTERM'));

// `ddbstream export | head -1`, `ddbstream replay … 2>&1 | head -1`: the reader of stdout or
// stderr went away. Stop quietly, as Unix tools do: let the command end its work as after Ctrl-C
// (checkpoint saved, temporary files removed), then exit 0. A command that does not notice is
// cut short after a moment. Every error of either stream is taken here, later ones included
// (the summary line, the handler's last output): an unheard write is never a crash.
let outputClosed = false;
function onOutputError(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE' || outputClosed) return;
  outputClosed = true;
  controller.abort(new OutputClosedError());
  setTimeout(() => process.exit(0), 2_000).unref();
}
process.stdout.on('error', onOutputError);
process.stderr.on('error', onOutputError);

const context: CommandContext = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  signal: controller.signal,
  // Set from the parsed `--debug` before any action runs (see buildProgram), wherever it was placed.
  debug: false,
};

/** `ddbstream --version` alone: the version from package.json, without loading the program. */
function versionOnly(): number | undefined {
  const args = process.argv.slice(2);
  if (args.length !== 1 || (args[0] !== '--version' && args[0] !== '-V')) return undefined;
  const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
  process.stdout.write(`${version}\n`);
  return 0;
}

async function main(): Promise<number> {
  const [{ buildProgram }, { CommanderError }] = await Promise.all([import('./program.js'), import('commander')]);
  const program = buildProgram(context);
  try {
    await program.parseAsync(process.argv);
    if (outputClosed) return 0;
    return interruptedBy ? interruptedExitCode(interruptedBy) : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its message (help, version, or a usage error).
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof OutputClosedError || outputClosed) return 0;
    if (error instanceof InterruptedError || (interruptedBy && controller.signal.aborted)) {
      return interruptedExitCode(interruptedBy ?? 'SIGINT');
    }
    const [{ describeError }, { credentialValues }] = await Promise.all([import('./messages/describe-error.js'), import('./util/redact.js')]);
    process.stderr.write(describeError(error, context.debug, credentialValues(process.env)) + '\n');
    return exitCodeOf(error);
  }
}

const code = versionOnly() ?? await main();
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
