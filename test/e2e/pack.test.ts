import { execFile } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cleanEnv } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * What a user who installs the published package gets: `npm pack`, install the tarball into an
 * empty folder (dependencies from the registry, or npm's cache when it has them), run it there.
 */
describe('the packed package', () => {
  it('installs into an empty folder and runs --help and demo there', async () => {
    // Removed afterwards: the tarball and a full install of its dependencies.
    const work = tempDir('ddbstream-pack-');
    const env = cleanEnv({ npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' });
    // dist/ is built by `npm test`; --ignore-scripts keeps pack from rebuilding it under running tests.
    await run('npm', ['pack', '--ignore-scripts', '--pack-destination', work], { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 });
    const tarball = (await readdir(work)).find((f) => f.endsWith('.tgz'));
    expect(tarball).toMatch(/^ddbstream-\d+\.\d+\.\d+\.tgz$/);

    const app = join(work, 'app');
    await run('mkdir', [app]);
    await writeFile(join(app, 'package.json'), '{"name":"try-ddbstream","private":true}\n');
    await run('npm', ['install', '--prefer-offline', join(work, tarball!)], { cwd: app, env, maxBuffer: 16 * 1024 * 1024 });

    const help = await run('npx', ['--no-install', 'ddbstream', '--help'], { cwd: app, env });
    expect(help.stdout).toMatch(/Usage: ddbstream/);
    expect(help.stderr).toBe('');

    const demo = await run('npx', ['--no-install', 'ddbstream', 'demo', '--interval', '50'], { cwd: app, env, timeout: 90_000 });
    expect(demo.stdout).toMatch(/ INSERT {2}ddbstream-demo /);
    expect(demo.stdout).toMatch(/ REMOVE {2}ddbstream-demo /);
  }, 300_000);
});
