/** Characters a POSIX shell takes literally in a word: nothing to quote. */
const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * One argument as a POSIX shell reads it back unchanged: as it is when it is plain, otherwise in
 * single quotes (a quote inside becomes '\''). For commands printed for the user to paste.
 */
export function shellQuote(argument: string): string {
  if (PLAIN.test(argument)) return argument;
  return `'${argument.replace(/'/g, `'\\''`)}'`;
}

/** A command line of quoted arguments. */
export function shellCommand(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
