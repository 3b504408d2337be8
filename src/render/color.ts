export interface ColorInputs {
  /** Whether the output stream is a terminal. */
  isTTY: boolean | undefined;
  env: Record<string, string | undefined>;
  /** `--no-color` was given. */
  noColorFlag: boolean;
}

/**
 * Whether to write ANSI colours. Opting out always wins: `--no-color`, then a non-empty NO_COLOR
 * (no-color.org). FORCE_COLOR turns colours on in pipes unless it says `0`/`false`; otherwise
 * colours go only to a terminal that is not `TERM=dumb`.
 */
export function decideColor({ isTTY, env, noColorFlag }: ColorInputs): boolean {
  if (noColorFlag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (!isTTY) return false;
  return env.TERM !== 'dumb';
}
