import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckpointStore } from '../../src/stream/checkpoint.js';
import { CheckpointFileError } from '../../src/stream/errors.js';

const ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/Users/stream/2024-01-01T00:00:00.000';
const OTHER = 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2024-01-01T00:00:00.000';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ddbstream-cp-'));
  dirs.push(dir);
  return dir;
}

async function tempFile(): Promise<string> {
  return join(await tempDir(), 'cp.json');
}

describe('CheckpointStore', () => {
  it('starts empty when the file does not exist, and saves progress readable only by the user', async () => {
    const path = await tempFile();
    const store = await CheckpointStore.open(path, ARN);
    expect(store.shardIds()).toEqual([]);
    store.advance('shard-1', '000000000000000000005');
    store.finish('shard-0');
    await store.save();
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const reopened = await CheckpointStore.open(path, ARN);
    expect(reopened.position('shard-1')).toEqual({ sequenceNumber: '000000000000000000005', finished: false });
    expect(reopened.position('shard-0')).toEqual({ finished: true });
    expect(reopened.position('shard-9')).toBeUndefined();
  });

  it('never moves a shard backwards and compares sequence numbers as integers', async () => {
    const store = await CheckpointStore.open(await tempFile(), ARN);
    store.advance('s', '100000000000000000000009');
    store.advance('s', '99999999999999999999999'); // shorter, smaller: ignored
    expect(store.position('s')?.sequenceNumber).toBe('100000000000000000000009');
  });

  it('refuses a checkpoint of another stream', async () => {
    const path = await tempFile();
    const store = await CheckpointStore.open(path, OTHER);
    store.advance('s', '1');
    await store.save();
    const refused = CheckpointStore.open(path, ARN);
    await expect(refused).rejects.toBeInstanceOf(CheckpointFileError);
    await expect(refused).rejects.toMatchObject({ path, exitCode: 2, problem: { kind: 'other-stream', savedFor: OTHER, wanted: ARN } });
  });

  it('refuses a corrupt or truncated file instead of starting over', async () => {
    const path = await tempFile();
    await writeFile(path, '{"format":"ddbstream-checkpoint","version":1,"streamArn":"arn');
    await expect(CheckpointStore.open(path, ARN)).rejects.toMatchObject({ exitCode: 2, problem: { kind: 'corrupt' } });
    await writeFile(path, '{"hello":"world"}');
    await expect(CheckpointStore.open(path, ARN)).rejects.toMatchObject({ exitCode: 2, problem: { kind: 'not-a-checkpoint' } });
    await writeFile(path, JSON.stringify({ format: 'ddbstream-checkpoint', version: 1, streamArn: ARN, shards: { 's-1': { sequenceNumber: '12x' } } }));
    await expect(CheckpointStore.open(path, ARN)).rejects.toMatchObject({ problem: { kind: 'invalid-sequence-number', shardId: 's-1' } });
  });

  it('writes atomically: no temp file is left and the file is always whole JSON', async () => {
    const path = await tempFile();
    const store = await CheckpointStore.open(path, ARN);
    for (let i = 1; i <= 50; i++) {
      store.advance('s', String(i).padStart(21, '0'));
      void store.save();
    }
    await store.save();
    const data = JSON.parse(await readFile(path, 'utf8')) as { shards: Record<string, { sequenceNumber: string }> };
    expect(data.shards.s?.sequenceNumber).toBe('000000000000000000050');
    expect((await readdir(join(path, '..'))).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('says when the checkpoint folder does not exist', async () => {
    const path = join(await tempDir(), 'missing', 'cp.json');
    await expect(CheckpointStore.open(path, ARN)).rejects.toMatchObject({
      path, exitCode: 2, problem: { kind: 'unwritable-folder', detail: 'ENOENT' },
    });
  });

  it('says when the checkpoint cannot be read', async () => {
    const path = await tempFile();
    await mkdir(path);
    await expect(CheckpointStore.open(path, ARN)).rejects.toMatchObject({ exitCode: 2, problem: { kind: 'unreadable' } });
  });

  it('a save that fails mid-run is the run failing (exit 1), not a usage problem', async () => {
    const dir = await tempDir();
    const store = await CheckpointStore.open(join(dir, 'cp.json'), ARN);
    store.advance('s', '1');
    // The folder goes away while the run goes on.
    await rm(dir, { recursive: true });
    const saving = store.save();
    await expect(saving).rejects.toBeInstanceOf(CheckpointFileError);
    await expect(saving).rejects.toMatchObject({ exitCode: 1, problem: { kind: 'save-failed' } });
  });
});
