import type { Command, Option } from 'commander';

/** What completion needs to know of one option, read off commander's own declaration. */
export interface OptionModel {
  /** `--format`, and `-o` for one with a short flag. */
  long: string | undefined;
  short: string | undefined;
  takesValue: boolean;
  /** The values offered after it: commander's `.choices()`, else the keywords below. */
  values: readonly string[];
  /** A file or folder name goes after it. */
  path: 'file' | 'dir' | undefined;
}

export interface CommandModel {
  name: string;
  options: OptionModel[];
  /** Names of the positional arguments, in order (`stream`, `shell`, ...). */
  arguments: { name: string; values: readonly string[] }[];
  commands: CommandModel[];
}

/**
 * Keywords of options that take free text but have fixed words among their values. Commander
 * cannot hold these (`--from` also takes times and sequence numbers), so they are listed here.
 */
const KEYWORDS: Record<string, readonly string[]> = {
  '--from': ['trim-horizon', 'latest'],
  '--on-trimmed': ['fail', 'skip'],
  '--event': ['INSERT', 'MODIFY', 'REMOVE'],
};

/** Placeholders (`<file>`) that name a path, from the options' own flags. */
const PATH_PLACEHOLDERS: Record<string, 'file' | 'dir'> = { file: 'file', handler: 'file', dir: 'dir' };

function optionModel(option: Option): OptionModel {
  const placeholder = /<([^>]+)>|\[([^\]]+)\]/.exec(option.flags);
  const long = option.long ?? undefined;
  return {
    long,
    short: option.short ?? undefined,
    takesValue: option.required || option.optional,
    values: option.argChoices ?? (long ? KEYWORDS[long] : undefined) ?? [],
    path: PATH_PLACEHOLDERS[placeholder?.[1] ?? placeholder?.[2] ?? ''],
  };
}

/** The program as completion sees it: visible commands, their options (help included) and arguments. */
export function commandModel(command: Command): CommandModel {
  const help = command.createHelp();
  return {
    name: command.name(),
    options: help.visibleOptions(command).map(optionModel),
    arguments: command.registeredArguments.map((argument) => ({ name: argument.name(), values: argument.argChoices ?? [] })),
    commands: help.visibleCommands(command).filter((sub) => sub.name() !== 'help').map(commandModel),
  };
}
