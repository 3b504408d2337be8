import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const TEST = fileURLToPath(new URL('..', import.meta.url));
const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/** Folders of test/ whose tests are not about one file of src/. */
const OWN_FOLDERS = new Set([
  'e2e', // the built CLI, run as a user runs it
  'fake-streams', // the fake DynamoDB Streams endpoint and its own tests
  'helpers', // shared test helpers
  'architecture', // checks over the whole tree
]);

/** The folders of src/ and the modules in each, as the check sees them. */
interface SrcTree {
  has(dir: string): boolean;
  /** Module names (no extension) directly in `dir`. */
  modules(dir: string): string[];
}

/**
 * Unit tests that do not mirror their subject: `test/x/y.test.ts` tests `src/x/y.ts`, and
 * `test/x/y-aspect.test.ts` one aspect of it, when one file would do too many things.
 */
function misplacedTests(testFiles: readonly string[], src: SrcTree): string[] {
  const misplaced: string[] = [];
  for (const file of testFiles) {
    const slash = file.lastIndexOf('/');
    const dir = file.slice(0, Math.max(slash, 0));
    const name = file.slice(slash + 1).replace(/\.test\.tsx?$/, '');
    if (OWN_FOLDERS.has(dir.split('/')[0]!)) continue;
    if (!dir) {
      misplaced.push(`${file}: a unit test belongs in the folder of its subject`);
    } else if (!src.has(dir)) {
      misplaced.push(`${file}: there is no src/${dir}/`);
    } else if (!src.modules(dir).some((module) => name === module || name.startsWith(`${module}-`))) {
      misplaced.push(`${file}: no src/${dir}/${name}.ts, nor a module of src/${dir}/ whose name starts it`);
    }
  }
  return misplaced;
}

const realSrc: SrcTree = {
  has: (dir) => existsSync(`${SRC}/${dir}`),
  modules: (dir) => readdirSync(`${SRC}/${dir}`).filter((entry) => /\.tsx?$/.test(entry)).map((entry) => entry.replace(/\.tsx?$/, '')),
};

describe('the layout of test/', () => {
  it('mirrors src/: each unit test sits where its subject sits in src/', () => {
    const files = (readdirSync(TEST, { recursive: true }) as string[])
      .map((file) => file.split('\\').join('/'))
      .filter((file) => /\.test\.tsx?$/.test(file));
    // Guards the check itself: a listing that found nothing would pass everything.
    expect(files).toContain('commands/tail/run.test.ts');
    expect(misplacedTests(files, realSrc)).toEqual([]);
  });

  it('reports a test named after no module of its folder, or in a folder src/ does not have', () => {
    const folders: Record<string, string[]> = { stream: ['reader', 'checkpoint'], commands: [], 'commands/tail': ['run'] };
    const src: SrcTree = { has: (dir) => dir in folders, modules: (dir) => folders[dir] ?? [] };
    expect(misplacedTests([
      'stream/reader.test.ts',
      'stream/reader-lineage.test.ts',
      'commands/tail/run.test.ts',
      'e2e/anything.test.ts',
      'helpers/temp-dir.test.ts',
    ], src)).toEqual([]);
    expect(misplacedTests([
      'stream/follow.test.ts',
      'stream/readers.test.ts',
      'commands/tail-options.test.ts',
      'unit/diff.test.ts',
      'top.test.ts',
    ], src)).toEqual([
      'stream/follow.test.ts: no src/stream/follow.ts, nor a module of src/stream/ whose name starts it',
      'stream/readers.test.ts: no src/stream/readers.ts, nor a module of src/stream/ whose name starts it',
      'commands/tail-options.test.ts: no src/commands/tail-options.ts, nor a module of src/commands/ whose name starts it',
      'unit/diff.test.ts: there is no src/unit/',
      'top.test.ts: a unit test belongs in the folder of its subject',
    ]);
  });
});
