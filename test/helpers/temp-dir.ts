import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, onTestFinished } from 'vitest';

const PREFIX = 'ddbstream-test-';

function makeDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * A new empty folder under the system's temp folder, removed with its contents when the running
 * test ends, passed or failed (after its `afterEach` hooks, so a process started there is stopped
 * first). Only inside a test: for a folder that several tests share, use `useTempDir`.
 */
export function tempDir(prefix: string = PREFIX): string {
  const made: string[] = [];
  // Registered before the folder exists: outside a test this throws, and nothing is left behind.
  onTestFinished(() => made.forEach(removeDir));
  const dir = makeDir(prefix);
  made.push(dir);
  return dir;
}

/**
 * One folder for the tests of the enclosing file or `describe`: made before the first of them,
 * removed after the last. Call it where `beforeAll` may be called; read `path` in tests and hooks.
 */
export function useTempDir(prefix: string = PREFIX): { readonly path: string } {
  let dir: string | undefined;
  beforeAll(() => {
    dir = makeDir(prefix);
  });
  afterAll(() => {
    if (dir) removeDir(dir);
    dir = undefined;
  });
  return {
    get path(): string {
      if (!dir) throw new Error('useTempDir: the folder exists only while the tests that share it run');
      return dir;
    },
  };
}
