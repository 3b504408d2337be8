import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, assertBuilt, cleanEnv } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { startFakeStreams, type FakeStreams, type RecordInput } from '../fake-streams/index.js';

/** A TypeScript handler (so replay builds it into a temporary folder) that talks a lot on stderr. */
const CHATTY_HANDLER = `
export const handler = async (event: { Records: { dynamodb: { SequenceNumber: string } }[] }): Promise<void> => {
  for (const record of event.Records) console.log('handled ' + record.dynamodb.SequenceNumber);
  await new Promise((resolve) => setTimeout(resolve, 20));
};
`;

const item = (i: number): RecordInput => ({ eventName: 'INSERT', newImage: { pk: { S: `item-${i}` } }, time: Date.UTC(2024, 4, 1, 10, 0, i % 60) });

/**
 * Runs `command 2>&1 | head -N` in bash: what head printed, and the exit code of ddbstream itself.
 * Not spawnSync: the fake endpoint answers from this process.
 */
function throughHead(lines: number, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ output: string; code: number }> {
  const quoted = [process.execPath, BIN, ...args].map((arg) => `'${arg}'`).join(' ');
  const child = spawn('bash', ['-c', `${quoted} 2>&1 | head -${lines}; echo "exit=\${PIPESTATUS[0]}" >&2`], { cwd, env });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => {
    child.on('close', () => resolve({ output: stdout, code: Number(/exit=(\d+)/.exec(stderr)?.[1] ?? -1) }));
  });
}

describe('a closed stderr', () => {
  let fake: FakeStreams;
  beforeAll(async () => {
    assertBuilt();
    fake = await startFakeStreams();
    const { streamArn } = fake.addTable({ tableName: 'Orders', stream: { viewType: 'NEW_AND_OLD_IMAGES', shards: 0 } });
    fake.addShard(streamArn!, { records: Array.from({ length: 300 }, (_, i) => item(i)) });
  });
  afterAll(() => fake.close());

  it('replay 2>&1 | head -20: no crash, no stack; the checkpoint is saved and the temporary handler folder removed, as after Ctrl-C', async () => {
    const dir = tempDir();
    const tmp = path.join(dir, 'tmp');
    mkdirSync(tmp);
    writeFileSync(path.join(dir, 'handler.ts'), CHATTY_HANDLER);
    const checkpoint = path.join(dir, 'cp.json');
    // 20 lines: a few batches of 5 are done (and checkpointed) before the pipe closes.
    const { output, code } = await throughHead(
      20,
      ['replay', 'Orders', '--handler', './handler.ts', '--batch-size', '5', '--checkpoint', checkpoint, '--endpoint-url', fake.endpoint],
      cleanEnv({ TMPDIR: tmp }),
      dir,
    );
    expect(output.split('\n').slice(0, -1)).toEqual(Array.from({ length: 20 }, () => expect.stringMatching(new RegExp(`^\\[handler\\] handled \\d+$`)) as string));
    expect(code).toBe(0);
    expect(existsSync(checkpoint)).toBe(true);
    const saved = JSON.parse(readFileSync(checkpoint, 'utf8')) as { format: string; shards: Record<string, unknown> };
    expect(saved.format).toBe('ddbstream-checkpoint');
    expect(Object.keys(saved.shards)).toHaveLength(1);
    expect(readdirSync(tmp).filter((name) => name.startsWith('ddbstream-handler-'))).toEqual([]);
  });

  it('export 2>&1 | head -1 with progress and warnings on stderr still ends quietly', async () => {
    const dir = tempDir();
    const { output, code } = await throughHead(1, ['export', 'Orders', '--endpoint-url', fake.endpoint], cleanEnv(), dir);
    expect(JSON.parse(output)).toMatchObject({ table: 'Orders' });
    expect(code).toBe(0);
  });
});
