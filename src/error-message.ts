import { RuntimeError, UsageError } from './errors.js';
import { explainAwsError } from './aws/explain-error.js';
import { redactSecrets } from './redact.js';

/**
 * One line (two at most) for the user: what went wrong and what to do. With --debug, the stack
 * and cause chain follow, with anything that looks like a credential, and every value in
 * `knownSecrets`, blanked out.
 */
export function describeError(error: unknown, debug: boolean, knownSecrets: readonly string[] = []): string {
  const known = error instanceof UsageError || error instanceof RuntimeError ? error : explainAwsError(error);
  const message = known ? known.message : error instanceof Error ? error.message : String(error);
  const lines = [`ddbstream: ${message}`];
  if (debug) {
    let current: unknown = error;
    while (current instanceof Error) {
      lines.push(current.stack ?? String(current));
      current = current.cause;
    }
  } else if (!known) {
    lines.push('Run again with --debug for details.');
  }
  return redactSecrets(lines.join('\n'), knownSecrets);
}
