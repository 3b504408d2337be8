import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureJava, parseJavaVersion } from '../../src/local/java.js';
import { RuntimeError } from '../../src/util/errors.js';

describe('parseJavaVersion', () => {
  it('reads the modern and the 1.x numbering', () => {
    expect(parseJavaVersion('openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment')).toEqual({ version: '17.0.15', major: 17 });
    expect(parseJavaVersion('java version "1.8.0_292"\nJava(TM) SE Runtime Environment')).toEqual({ version: '1.8.0_292', major: 8 });
    expect(parseJavaVersion('openjdk version "21" 2023-09-19')).toEqual({ version: '21', major: 21 });
    expect(parseJavaVersion('openjdk version "11.0.2" 2019-01-15')?.major).toBe(11);
  });

  it('skips the lines the JVM prints before the version', () => {
    expect(parseJavaVersion('Picked up JAVA_TOOL_OPTIONS: -Xmx1g\nopenjdk version "25.0.3" 2026-04-21 LTS')?.major).toBe(25);
  });

  it('gives up on output without a version', () => {
    expect(parseJavaVersion('Error: could not open `/usr/lib/jvm/lib/jvm.cfg`')).toBeUndefined();
  });
});

describe.skipIf(process.platform === 'win32')('ensureJava', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ddbstream-java-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function fakeJava(name: string, versionLine: string): Promise<string> {
    const bin = join(dir, name);
    await mkdir(bin, { recursive: true });
    await writeFile(join(bin, 'java'), `#!/bin/sh\necho '${versionLine}' >&2\n`);
    await chmod(join(bin, 'java'), 0o755);
    return bin;
  }

  it('refuses Java 8 and says how to install a newer one', async () => {
    const bin = await fakeJava('java8', 'java version "1.8.0_292"');
    const check = ensureJava({ env: { PATH: bin } });
    await expect(check).rejects.toBeInstanceOf(RuntimeError);
    await expect(check).rejects.toThrow(/needs Java 17\+, but `java` on PATH is 1\.8\.0_292: install .*openjdk-17-jre-headless/);
  });

  it('accepts Java 17', async () => {
    const bin = await fakeJava('java17', 'openjdk version "17.0.15" 2025-04-15');
    await expect(ensureJava({ env: { PATH: bin } })).resolves.toEqual({ version: '17.0.15', major: 17 });
  });

  it('explains a missing java', async () => {
    const check = ensureJava({ env: { PATH: join(dir, 'empty') } });
    await expect(check).rejects.toThrow(/no `java` was found on PATH: install Java 17 or newer \(e\.g\. `sudo apt-get install openjdk-17-jre-headless`/);
  });
});
