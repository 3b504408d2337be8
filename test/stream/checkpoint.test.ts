import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckpointFile, CheckpointStore } from '../../src/stream/checkpoint.js';
import { CheckpointFileError } from '../../src/stream/errors.js';

const ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/Users/stream/2024-01-01T00:00:00.000';
const OTHER = 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2024-01-01T00:00:00.000';
const THIRD = 'arn:aws:dynamodb:us-east-1:123456789012:table/Invoices/stream/2024-01-01T00:00:00.000';
const RECREATED = 'arn:aws:dynamodb:us-east-1:123456789012:table/Users/stream/2024-06-01T00:00:00.000';

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

describe('CheckpointFile: one file, a part per stream', () => {
  it('keeps each stream\'s positions apart and reads them back', async () => {
    const path = await tempFile();
    const file = await CheckpointFile.open(path, [ARN, OTHER]);
    file.part(ARN).advance('shard-1', '5');
    file.part(OTHER).advance('shard-1', '9');
    file.part(OTHER).finish('shard-0');
    await file.save();
    const reopened = await CheckpointFile.open(path, [ARN, OTHER]);
    expect(reopened.part(ARN).position('shard-1')).toEqual({ sequenceNumber: '5', finished: false });
    expect(reopened.part(ARN).position('shard-0')).toBeUndefined();
    expect(reopened.part(OTHER).position('shard-1')).toEqual({ sequenceNumber: '9', finished: false });
    expect(reopened.part(OTHER).position('shard-0')).toEqual({ finished: true });
  });

  it('reads a file of the earlier one-stream format, and a one-stream run writes it in that shape again', async () => {
    const path = await tempFile();
    await writeFile(path, JSON.stringify({
      format: 'ddbstream-checkpoint', version: 1, streamArn: ARN, updatedAt: '2024-01-02T00:00:00.000Z',
      shards: { 'shard-1': { sequenceNumber: '000000000000000000005' } },
    }));
    const store = await CheckpointStore.open(path, ARN);
    expect(store.position('shard-1')).toEqual({ sequenceNumber: '000000000000000000005', finished: false });
    store.advance('shard-1', '000000000000000000006');
    await store.save();
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({
      version: 1, streamArn: ARN, shards: { 'shard-1': { sequenceNumber: '000000000000000000006' } },
    });
  });

  it('keeps the part of a stream not in this run when it writes the file again', async () => {
    const path = await tempFile();
    const both = await CheckpointFile.open(path, [ARN, OTHER]);
    both.part(ARN).advance('s', '5');
    both.part(OTHER).advance('s', '9');
    await both.save();
    // A run of one of them, then a run of it and a third stream.
    const one = await CheckpointStore.open(path, ARN);
    one.advance('s', '6');
    await one.save();
    const more = await CheckpointFile.open(path, [ARN, THIRD]);
    expect(more.part(THIRD).shardIds()).toEqual([]);
    more.part(THIRD).advance('s', '1');
    await more.save();
    const all = await CheckpointFile.open(path, [ARN, OTHER, THIRD]);
    expect([ARN, OTHER, THIRD].map((arn) => all.part(arn).position('s')?.sequenceNumber)).toEqual(['6', '9', '1']);
  });

  it('keeps the progress of another run that shares the file for other streams, saving at the same time', async () => {
    const path = await tempFile();
    // Two runs started on a file that does not exist yet, one per stream.
    const users = await CheckpointStore.open(path, ARN);
    const orders = await CheckpointStore.open(path, OTHER);
    users.advance('s', '5');
    await users.save();
    orders.advance('s', '9');
    await orders.save();
    users.advance('s', '6');
    await users.save();
    const all = await CheckpointFile.open(path, [ARN, OTHER]);
    expect([ARN, OTHER].map((arn) => all.part(arn).position('s')?.sequenceNumber)).toEqual(['6', '9']);
  });

  it('refuses a part of another stream of the same table, even beside parts it could use', async () => {
    const path = await tempFile();
    const file = await CheckpointFile.open(path, [ARN, OTHER]);
    file.part(ARN).advance('s', '5');
    file.part(OTHER).advance('s', '9');
    await file.save();
    await expect(CheckpointFile.open(path, [RECREATED, OTHER])).rejects.toMatchObject({
      path, exitCode: 2, problem: { kind: 'other-stream', savedFor: ARN, wanted: RECREATED },
    });
  });
});
