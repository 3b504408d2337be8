import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { openClients } from '../aws/open-clients.js';
import type { LineAwsOptions } from './complete.js';

/** A TAB must not wait on the network for long: past this, nothing is offered. */
export const LOOKUP_BOUND_MS = 1_000;
/** Tables change rarely; a minute spares the call while the user presses TAB again and again. */
export const CACHE_MS = 60_000;

/** The user's cache folder: XDG_CACHE_HOME when it is an absolute path, else ~/.cache. */
export function cacheDir(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.cache'), 'ddbstream');
}

interface CachedTables {
  savedAt: number;
  tables: string[];
}

/** One cache file per region, profile and endpoint: each lists other tables. */
function cacheFile(aws: LineAwsOptions, env: NodeJS.ProcessEnv): string {
  const scope = [
    aws.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? '',
    aws.profile ?? env.AWS_PROFILE ?? '',
    aws.endpointUrl ?? env.AWS_ENDPOINT_URL_DYNAMODB_STREAMS ?? env.AWS_ENDPOINT_URL ?? '',
  ];
  const key = createHash('sha256').update(JSON.stringify(scope)).digest('hex').slice(0, 16);
  return join(cacheDir(env), `completion-tables-${key}.json`);
}

async function readCache(file: string, now: number): Promise<string[] | undefined> {
  try {
    const cached = JSON.parse(await readFile(file, 'utf8')) as CachedTables;
    const fresh = now - cached.savedAt >= 0 && now - cached.savedAt < CACHE_MS;
    return fresh && Array.isArray(cached.tables) ? cached.tables.filter((t) => typeof t === 'string') : undefined;
  } catch {
    return undefined;
  }
}

async function writeCache(file: string, tables: string[], now: number): Promise<void> {
  const dir = join(file, '..');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Written aside and renamed, so a TAB in another shell never reads half a file.
  const partial = `${file}.${process.pid}.tmp`;
  await writeFile(partial, JSON.stringify({ savedAt: now, tables } satisfies CachedTables), { mode: 0o600 });
  await rename(partial, file);
}

/** The tables with a stream, as ListStreams names them (pages until the time bound). */
async function listTables(aws: LineAwsOptions, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<string[]> {
  const clients = openClients(aws, env);
  try {
    const tables = new Set<string>();
    let start: string | undefined;
    do {
      const page = await clients.streams.send(new ListStreamsCommand({ Limit: 100, ExclusiveStartStreamArn: start }), { abortSignal: signal });
      for (const stream of page.Streams ?? []) if (stream.TableName) tables.add(stream.TableName);
      start = page.LastEvaluatedStreamArn;
    } while (start);
    return [...tables].sort();
  } finally {
    clients.destroy();
  }
}

/**
 * Table names for the stream argument, from the cache or one bounded ListStreams. Any failure
 * (no region, no credentials, no network, too slow) gives an empty list: completion never prints
 * an error into the user's command line.
 */
export async function tableNames(aws: LineAwsOptions, env: NodeJS.ProcessEnv, now = Date.now()): Promise<string[]> {
  const file = cacheFile(aws, env);
  const cached = await readCache(file, now);
  if (cached) return cached;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(undefined);
    }, LOOKUP_BOUND_MS);
  });
  try {
    // The race also bounds what the abort signal does not reach, such as resolving credentials.
    const tables = await Promise.race([listTables(aws, env, controller.signal).catch(() => undefined), timeout]);
    if (!tables) return [];
    await writeCache(file, tables, now).catch(() => undefined);
    return tables;
  } finally {
    clearTimeout(timer);
  }
}
