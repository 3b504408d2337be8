import { mkdtemp, readFile, stat, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointStore } from '../../src/stream/checkpoint.js';
import { UsageError } from '../../src/errors.js';

const ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/Users/stream/2024-01-01T00:00:00.000';
const OTHER = 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2024-01-01T00:00:00.000';

async function tempFile(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'ddbstream-cp-')), 'cp.json');
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
    await expect(CheckpointStore.open(path, ARN)).rejects.toThrow(/belongs to another stream/);
    await expect(CheckpointStore.open(path, ARN)).rejects.toBeInstanceOf(UsageError);
  });

  it('refuses a corrupt or truncated file instead of starting over', async () => {
    const path = await tempFile();
    await writeFile(path, '{"format":"ddbstream-checkpoint","version":1,"streamArn":"arn');
    await expect(CheckpointStore.open(path, ARN)).rejects.toThrow(/corrupt or truncated/);
    await writeFile(path, '{"hello":"world"}');
    await expect(CheckpointStore.open(path, ARN)).rejects.toThrow(/not a ddbstream checkpoint/);
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
    const path = join(await mkdtemp(join(tmpdir(), 'ddbstream-cp-')), 'missing', 'cp.json');
    await expect(CheckpointStore.open(path, ARN)).rejects.toThrow(/cannot write checkpoint .*ENOENT/);
  });
});
