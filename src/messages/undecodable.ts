import type { CommandContext } from '../io/command-context.js';
import type { UndecodableCount } from '../records/attribute-kind.js';
import { RuntimeError } from '../util/errors.js';

/**
 * The closing warning of a run that met values of a type ddbstream does not know. Those records
 * were not dropped: written as they came (export, tail) or handed to the handler as the stream
 * sent them (replay).
 */
export function describeUndecodable(records: number, where: 'output' | 'handler'): string {
  const what = `${records.toLocaleString('en-US')} record${records === 1 ? '' : 's'}`;
  const held = `${records === 1 ? 'holds' : 'hold'} a value of a type ddbstream does not know`;
  return where === 'output'
    ? `warning: ${what} ${held}: written with the value as it came and an "undecodable" list of its paths ` +
      `(find them with jq 'select(.undecodable)'); a newer ddbstream may decode them.`
    : `warning: ${what} ${held}: the handler got the value as the stream sent it; a newer ddbstream may decode it.`;
}

/**
 * End of an export or tail: every record was written, the odd ones marked; the run still ends in
 * exit 1 (a RuntimeError whose message is the warning) so that a script notices. Interrupted, the
 * exit code says so instead, and the warning is written here.
 */
export function warnUndecodable(undecodable: UndecodableCount, context: Pick<CommandContext, 'signal' | 'stderr'>): void {
  if (undecodable.records === 0) return;
  const warning = describeUndecodable(undecodable.records, 'output');
  if (context.signal.aborted) context.stderr.write(`ddbstream: ${warning}\n`);
  else throw new RuntimeError(warning);
}
