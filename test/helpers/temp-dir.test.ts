import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, useTempDir } from './temp-dir.js';

// The tests of each describe run in order: a later test sees what an earlier one left behind.
describe('tempDir', () => {
  let made = '';

  it('makes an empty folder for the running test', () => {
    made = tempDir('ddbstream-temp-dir-test-');
    expect(existsSync(made)).toBe(true);
    writeFileSync(join(made, 'file.txt'), 'contents');
  });

  it('has removed it, contents and all, once that test ended', () => {
    expect(made).not.toBe('');
    expect(existsSync(made)).toBe(false);
  });
});

describe('tempDir outside a test', () => {
  const prefix = `ddbstream-temp-dir-refused-${process.pid}-`;
  let refusal: unknown;
  try {
    tempDir(prefix);
  } catch (error) {
    refusal = error;
  }

  it('throws, and has made no folder that nobody would remove', () => {
    expect(refusal).toBeInstanceOf(Error);
    expect(readdirSync(tmpdir()).filter((name) => name.startsWith(prefix))).toEqual([]);
  });
});

describe('useTempDir', () => {
  let shared = '';

  describe('a suite that shares one folder', () => {
    const folder = useTempDir('ddbstream-temp-dir-test-');

    it('has it from the first test', () => {
      shared = folder.path;
      writeFileSync(join(shared, 'kept.txt'), 'for the next test');
    });

    it('keeps it, with what earlier tests wrote, until the last test', () => {
      expect(folder.path).toBe(shared);
      expect(existsSync(join(shared, 'kept.txt'))).toBe(true);
    });
  });

  it('removes it after the suite', () => {
    expect(shared).not.toBe('');
    expect(existsSync(shared)).toBe(false);
  });
});
