import type { Command } from 'commander';
import type { CommandContext } from '../../io/command-context.js';
import { commandModel } from '../../completion/command-model.js';
import { complete } from '../../completion/complete.js';
import { completionScript, type Shell } from '../../completion/shell-scripts.js';
import { tableNames } from '../../completion/table-names.js';

export function runCompletionScript(shell: Shell, context: CommandContext): void {
  context.stdout.write(completionScript(shell));
}

/** One answer for the shell script: the kind of completion on the first line, then the candidates. */
export async function runComplete(program: Command, words: string[], context: CommandContext): Promise<void> {
  const completion = complete(commandModel(program), words);
  let lines: string[];
  if (completion.kind === 'tables') {
    const tables = await tableNames(completion.aws, context.env);
    lines = ['words', ...tables.filter((table) => table.startsWith(completion.prefix))];
  } else if (completion.kind === 'words') {
    lines = ['words', ...completion.words];
  } else {
    lines = [completion.kind];
  }
  context.stdout.write(lines.join('\n') + '\n');
}
