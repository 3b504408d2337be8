import type { DiffEntry } from '../records/diff.js';
import { attributeToExactJson } from '../records/exact-json.js';

/** The diff as a JSON array for NDJSON `--diff`: values exact, like the images. */
export function diffToJson(entries: readonly DiffEntry[]): string {
  const parts = entries.map((entry) => {
    let text = `{"path":${JSON.stringify(entry.path)},"op":"${entry.op}"`;
    if (entry.from) text += `,"from":${attributeToExactJson(entry.from)}`;
    if (entry.to) text += `,"to":${attributeToExactJson(entry.to)}`;
    if (entry.added) text += `,"added":${attributeToExactJson(entry.added)}`;
    if (entry.removed) text += `,"removed":${attributeToExactJson(entry.removed)}`;
    return text + '}';
  });
  return `[${parts.join(',')}]`;
}
