import type { CommandModel, OptionModel } from './command-model.js';

/** The connection options on the line being completed, to list the right tables. */
export interface LineAwsOptions {
  region?: string;
  profile?: string;
  endpointUrl?: string;
}

/** What the shell should offer for the word under the cursor. */
export type Completion =
  | { kind: 'words'; words: string[] }
  | { kind: 'files' }
  | { kind: 'dirs' }
  /** Table names whose start is `prefix`; looked up by the caller (a network call). */
  | { kind: 'tables'; prefix: string; aws: LineAwsOptions };

const NOTHING: Completion = { kind: 'words', words: [] };

/**
 * Bash splits `--format=pl` into `--format`, `=`, `pl` (`=` is one of its word breaks); zsh and
 * fish keep it whole. Joined back here so the walk below sees one form.
 */
function joinEquals(words: readonly string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '=' && joined.at(-1)?.startsWith('--') && !joined.at(-1)!.includes('=')) {
      joined[joined.length - 1] += '=' + (words[i + 1] ?? '');
      i++;
    } else {
      joined.push(word);
    }
  }
  return joined;
}

function findOption(options: readonly OptionModel[], flag: string): OptionModel | undefined {
  return options.find((option) => option.long === flag || option.short === flag);
}

function valueCompletion(option: OptionModel, prefix: string, shown: (value: string) => string): Completion {
  if (option.values.length) {
    return { kind: 'words', words: option.values.filter((value) => value.startsWith(prefix)).map(shown) };
  }
  if (option.path === 'file') return { kind: 'files' };
  if (option.path === 'dir') return { kind: 'dirs' };
  return NOTHING;
}

/**
 * The candidates for the last of `words` (the words after `ddbstream`, the last one being the
 * one under the cursor, possibly empty), from the program's own model.
 */
export function complete(program: CommandModel, words: readonly string[]): Completion {
  // Bash with the cursor right after `--format=`: the current word is `=`, and what replaces it must keep it.
  const bashEquals = words.at(-1) === '=' && Boolean(words.at(-2)?.startsWith('--'));
  const line = joinEquals(words);
  const current = line.pop() ?? '';
  let command = program;
  let positional = 0;
  let pending: OptionModel | undefined;
  let operandsOnly = false;
  const aws: LineAwsOptions = {};
  const options = (): OptionModel[] => (command === program ? program.options : [...command.options, ...program.options]);

  for (const word of line) {
    if (pending) {
      recordAws(aws, pending, word);
      pending = undefined;
    } else if (!operandsOnly && word === '--') {
      operandsOnly = true;
    } else if (!operandsOnly && word.startsWith('-') && word !== '-') {
      const [flag, value] = splitAtEquals(word);
      const option = findOption(options(), flag);
      if (option?.takesValue && value === undefined) pending = option;
      else if (option && value !== undefined) recordAws(aws, option, value);
    } else if (command === program) {
      command = program.commands.find((sub) => sub.name === word) ?? program;
      if (command === program) return NOTHING; // not a command: nothing sensible to offer
    } else {
      positional++;
    }
  }

  if (pending) return valueCompletion(pending, current, (value) => value);
  if (!operandsOnly && current.startsWith('--') && current.includes('=')) {
    const [flag, value = ''] = splitAtEquals(current);
    const option = findOption(options(), flag);
    if (!option?.takesValue) return NOTHING;
    // Bash replaces only what follows the `=`; zsh and fish replace the whole word.
    const splitByBash = words.at(-2) === '=' || bashEquals;
    return valueCompletion(option, value, (v) => (bashEquals ? `=${v}` : splitByBash ? v : `${flag}=${v}`));
  }
  if (!operandsOnly && current.startsWith('-')) {
    const flags = options().flatMap((option) => [option.long, option.short]).filter((flag): flag is string => Boolean(flag));
    return { kind: 'words', words: [...new Set(flags)].filter((flag) => flag.startsWith(current)) };
  }
  if (command === program) {
    return { kind: 'words', words: program.commands.map((sub) => sub.name).filter((name) => name.startsWith(current)) };
  }
  const argument = command.arguments[positional];
  if (!argument) return NOTHING;
  if (argument.values.length) return { kind: 'words', words: argument.values.filter((value) => value.startsWith(current)) };
  if (argument.name === 'stream') return { kind: 'tables', prefix: current, aws };
  return NOTHING;
}

function splitAtEquals(word: string): [string, string | undefined] {
  const at = word.indexOf('=');
  return at < 0 ? [word, undefined] : [word.slice(0, at), word.slice(at + 1)];
}

function recordAws(aws: LineAwsOptions, option: OptionModel, value: string): void {
  if (option.long === '--region') aws.region = value;
  else if (option.long === '--profile') aws.profile = value;
  else if (option.long === '--endpoint-url') aws.endpointUrl = value;
}
