import { existsSync, readFileSync } from 'node:fs';

/** The complete lines of NDJSON text, parsed; a last line cut short (no newline yet, or a killed writer) is left out. */
export function completeLinesOf<T>(text: string): T[] {
  return text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter(Boolean).map((line) => JSON.parse(line) as T);
}

/**
 * The complete lines of an NDJSON file that another process may still be appending to, parsed;
 * none while it does not exist. A line still being written (no newline yet) is left for later.
 */
export function completeLines<T>(file: string): T[] {
  return existsSync(file) ? completeLinesOf<T>(readFileSync(file, 'utf8')) : [];
}
