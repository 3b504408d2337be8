import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, assertBuilt, cleanEnv } from '../helpers/cli.js';

/** Makes the started Node report another version, as an old installation would, before the CLI loads. */
function pretendNode(version: string): string {
  const code = `Object.defineProperty(process, 'versions', { value: { ...process.versions, node: ${JSON.stringify(version)} } });`;
  return `data:text/javascript,${encodeURIComponent(code)}`;
}

describe('an unsupported Node.js', () => {
  it('gets one line naming the versions ddbstream needs, and exit 1', () => {
    assertBuilt();
    const result = spawnSync(process.execPath, ['--import', pretendNode('18.20.4'), BIN, 'streams'], {
      env: cleanEnv(), encoding: 'utf8', timeout: 20_000,
    });
    expect(result.stderr).toBe(
      'ddbstream: ddbstream needs Node.js 20, 22, or 24 and newer; this is Node.js 18.20.4. Install a supported version (https://nodejs.org) and run it again.\n',
    );
    expect(result.stdout).toBe('');
    expect(result.status).toBe(1);
  });

  it('is not refused on the Node that runs the tests', () => {
    assertBuilt();
    const result = spawnSync(process.execPath, [BIN, '--version'], { env: cleanEnv(), encoding: 'utf8', timeout: 20_000 });
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(result.status).toBe(0);
  });
});
