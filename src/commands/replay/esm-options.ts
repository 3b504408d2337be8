import { readEsmFile } from '../../replay/esm-file.js';
import type { ReplayOptions } from './options.js';

/**
 * `--esm FILE`: the file's settings, under every option given on the command line. The stream
 * is the file's EventSourceArn unless streams are named (the file's settings then apply to the
 * mapping of each) or records come from --input.
 */
export async function withEsmFile(
  streams: readonly string[],
  options: ReplayOptions,
  given: readonly string[],
): Promise<{ streams: readonly string[]; options: ReplayOptions }> {
  if (!options.esm) return { streams, options };
  const esm = await readEsmFile(options.esm);
  const merged: Record<string, unknown> = { ...options };
  for (const [name, value] of Object.entries(esm.options)) {
    if (!given.includes(name)) merged[name] = value;
  }
  return {
    streams: streams.length || options.input || esm.streamArn === undefined ? streams : [esm.streamArn],
    options: merged as unknown as ReplayOptions,
  };
}
