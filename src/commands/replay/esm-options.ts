import { readEsmFile } from '../../replay/esm-file.js';
import type { ReplayOptions } from './options.js';

/**
 * `--esm FILE`: the file's settings, under every option given on the command line. The stream
 * is the file's EventSourceArn unless one is named (or records come from --input).
 */
export async function withEsmFile(
  stream: string | undefined,
  options: ReplayOptions,
  given: readonly string[],
): Promise<{ stream: string | undefined; options: ReplayOptions }> {
  if (!options.esm) return { stream, options };
  const esm = await readEsmFile(options.esm);
  const merged: Record<string, unknown> = { ...options };
  for (const [name, value] of Object.entries(esm.options)) {
    if (!given.includes(name)) merged[name] = value;
  }
  return {
    stream: stream ?? (options.input ? undefined : esm.streamArn),
    options: merged as unknown as ReplayOptions,
  };
}
