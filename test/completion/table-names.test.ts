import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CACHE_MS, cacheDir, tableNames } from '../../src/completion/table-names.js';
import { startFakeStreams, type FakeStreams } from '../fake-streams/index.js';
import { stubAwsEnv } from '../helpers/aws-env.js';
import { tempDir } from '../helpers/temp-dir.js';

let fake: FakeStreams;

beforeAll(async () => {
  fake = await startFakeStreams();
  fake.addTable({ tableName: 'Users', stream: { shards: 1 } });
  fake.addTable({ tableName: 'Orders', stream: { shards: 1 } });
  fake.addStream({ tableName: 'Orders', viewType: 'KEYS_ONLY' });
  fake.addTable({ tableName: 'Plain' });
});
afterAll(async () => {
  await fake?.close();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

function envWithCache(): NodeJS.ProcessEnv {
  const cache = mkdtempSync(join(tempDir('ddbstream-completion-'), 'cache-'));
  return stubAwsEnv({ XDG_CACHE_HOME: cache });
}

describe('table names for completion', () => {
  it('lists each table with a stream once, sorted', async () => {
    const env = envWithCache();
    expect(await tableNames({ endpointUrl: fake.endpoint }, env)).toEqual(['Orders', 'Users']);
  });

  it('asks ListStreams once a minute, from a cache file only the user can read', async () => {
    const env = envWithCache();
    const now = Date.parse('2026-06-01T12:00:00Z');
    const before = fake.log.count({ action: 'ListStreams' });
    await tableNames({ endpointUrl: fake.endpoint }, env, now);
    await tableNames({ endpointUrl: fake.endpoint }, env, now + CACHE_MS - 1);
    expect(fake.log.count({ action: 'ListStreams' })).toBe(before + 1);
    await tableNames({ endpointUrl: fake.endpoint }, env, now + CACHE_MS);
    expect(fake.log.count({ action: 'ListStreams' })).toBe(before + 2);
    const [file] = readdirSync(cacheDir(env));
    expect(statSync(join(cacheDir(env), file!)).mode & 0o777).toBe(0o600);
  });

  it('keeps one cache per endpoint and region', async () => {
    const env = envWithCache();
    await tableNames({ endpointUrl: fake.endpoint }, env);
    await tableNames({ endpointUrl: fake.endpoint, region: 'eu-west-1' }, env);
    expect(readdirSync(cacheDir(env))).toHaveLength(2);
  });

  it('gives nothing, and caches nothing, when the call fails', async () => {
    const env = envWithCache();
    fake.faults.internalErrors(4, { actions: ['ListStreams'] });
    expect(await tableNames({ endpointUrl: fake.endpoint }, env)).toEqual([]);
    expect(() => readdirSync(cacheDir(env))).toThrow();
  });

  it('gives up after a second on an endpoint that never answers', async () => {
    const env = envWithCache();
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const pending = tableNames({ endpointUrl: `http://127.0.0.1:${(silent.address() as { port: number }).port}` }, env);
      // The bound starts once the cache has been looked at.
      await vi.waitFor(() => expect(vi.getTimerCount()).toBeGreaterThan(0), { timeout: 5_000, interval: 10 });
      await vi.advanceTimersByTimeAsync(1_000);
      expect(await pending).toEqual([]);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it('uses XDG_CACHE_HOME when it is absolute, else ~/.cache', () => {
    expect(cacheDir({ XDG_CACHE_HOME: '/var/cache/me', HOME: '/home/me' })).toBe('/var/cache/me/ddbstream');
    expect(cacheDir({ XDG_CACHE_HOME: 'relative', HOME: '/home/me' })).toBe('/home/me/.cache/ddbstream');
    expect(cacheDir({ HOME: '/home/me' })).toBe('/home/me/.cache/ddbstream');
  });
});
