import { Argument, type Command } from 'commander';
import type { CommandContext } from '../../io/command-context.js';
import { COMPLETION_SHELLS, type CompletionShell } from './options.js';

/**
 * `completion SHELL` prints the script to source; the hidden `__complete` is what that script
 * calls on each TAB. Both load the completion code only when run, so other commands start as fast.
 */
export function registerCompletionCommand(program: Command, context: CommandContext): void {
  program
    .command('completion')
    .description('print the shell completion script for bash, zsh or fish')
    .addArgument(new Argument('<shell>', 'the shell').choices(COMPLETION_SHELLS))
    .addHelpText('after', `
Load it from your shell's start-up file:
  bash   ~/.bashrc                   source <(ddbstream completion bash)
  zsh    ~/.zshrc (after compinit)   source <(ddbstream completion zsh)
  fish   ~/.config/fish/config.fish  ddbstream completion fish | source

Completes commands, options, the values of --format, --from, --event and --on-trimmed, file
names for file options, and table names for STREAM (one ListStreams call of at most a second,
remembered for a minute under $XDG_CACHE_HOME/ddbstream or ~/.cache/ddbstream).`)
    .action(async (shell: CompletionShell) => {
      const { runCompletionScript } = await import('./run.js');
      runCompletionScript(shell, context);
    });

  program
    .command('__complete', { hidden: true })
    .description('answer one completion request: the words after `ddbstream`, the last one under the cursor')
    .argument('[words...]')
    .action(async (words: string[]) => {
      const { runComplete } = await import('./run.js');
      await runComplete(program, words, context);
    });
}
