import { describe, expect, it } from 'vitest';
import { exitOf, spawnTsSnippet, waitForLine } from '../helpers/run-ts.js';
import { commandOf, waitUntilGone } from '../helpers/processes.js';

// A process that starts DynamoDB Local and then ends without calling stop().
const START = `
import { startDynamoDbLocal } from './src/local/dynamodb-local.ts';
const local = await startDynamoDbLocal();
console.log('READY ' + local.pid);
`;

describe.skipIf(process.platform === 'win32')('DynamoDB Local when its parent ends without stop()', () => {
  it('is stopped when the parent throws, and when the parent is killed with SIGKILL', async () => {
    // Both at once: each pays for a JVM start.
    const crashing = await spawnTsSnippet(`${START}\nsetTimeout(() => { throw new Error('boom'); }, 10);\n`);
    const killed = await spawnTsSnippet(`${START}\nsetInterval(() => {}, 1000);\n`);
    try {
      const [crashLine, killLine] = await Promise.all([
        waitForLine(crashing, /^READY (\d+)$/, 40_000),
        waitForLine(killed, /^READY (\d+)$/, 40_000),
      ]);
      const crashJava = Number(crashLine[1]);
      const killJava = Number(killLine[1]);
      expect(commandOf(killJava)).toMatch(/java/);

      expect((await exitOf(crashing)).code).toBe(1);
      killed.kill('SIGKILL');
      expect((await exitOf(killed)).signal).toBe('SIGKILL');

      // The exit hook sends SIGTERM; the watchdog follows up with SIGKILL after a 3 s grace.
      expect(await waitUntilGone(crashJava, 6_000)).toBe(true);
      expect(await waitUntilGone(killJava, 6_000)).toBe(true);
    } finally {
      crashing.kill('SIGKILL');
      killed.kill('SIGKILL');
    }
  });
});
