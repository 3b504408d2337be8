import { RuntimeError, UsageError } from '../util/errors.js';
import { explainAwsError } from './aws-error.js';
import { describeStreamError } from './stream-error.js';
import { describeLeaseError } from './lease-error.js';
import { describeScanError } from './scan-error.js';
import { redactSecrets } from '../util/redact.js';
import { terminalSafe } from '../render/terminal-text.js';

/**
 * One line (two at most) for the user: what went wrong and what to do. With --debug, the stack
 * and cause chain follow, with anything that looks like a credential, and every value in
 * `knownSecrets`, blanked out. Messages quote names and text from the user and from AWS (a table
 * name, a server's error text), so every line is made terminal-safe: only the line breaks stay.
 */
export function describeError(error: unknown, debug: boolean, knownSecrets: readonly string[] = []): string {
  const known = error instanceof UsageError || error instanceof RuntimeError
    ? error.message
    : describeStreamError(error) ?? describeLeaseError(error) ?? describeScanError(error) ?? explainAwsError(error)?.message;
  const message = known ?? (error instanceof Error ? error.message : String(error));
  const lines = [`ddbstream: ${message}`];
  if (debug) {
    let current: unknown = error;
    while (current instanceof Error) {
      lines.push(current.stack ?? String(current));
      current = current.cause;
    }
  } else if (known === undefined) {
    lines.push('Run again with --debug for details.');
  }
  return redactSecrets(lines.join('\n'), knownSecrets).split('\n').map(terminalSafe).join('\n');
}
