import { open as openFile, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { compareSequenceNumbers } from '../records/record.js';
import { CheckpointFileError } from './errors.js';
import type { CheckpointView } from './start-plan.js';

interface ShardProgress {
  /** The last sequence number fully handled (written, or delivered to a handler that succeeded). */
  sequenceNumber?: string;
  /** Closed and read to its end: never read again; its children may start. */
  finished?: boolean;
}

interface CheckpointFile {
  format: 'ddbstream-checkpoint';
  version: 1;
  streamArn: string;
  updatedAt: string;
  shards: Record<string, ShardProgress>;
  /** Progress of work that is not a shard's, kept whole for its owner (a backfill's scan). */
  sections?: Record<string, unknown>;
}

/**
 * Per-shard progress of one stream, saved atomically (temp file + rename, mode 0600: it names
 * tables and keys). A file of another stream, or one that does not parse, is refused: silently
 * starting over would re-deliver or skip a day of records.
 */
export class CheckpointStore implements CheckpointView {
  private dirty = false;
  private lastSave = 0;
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    readonly streamArn: string,
    private readonly shards: Map<string, ShardProgress>,
    private readonly sections: Record<string, unknown> = {},
  ) {}

  static async open(path: string, streamArn: string): Promise<CheckpointStore> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        await assertWritableDirectory(path);
        return new CheckpointStore(path, streamArn, new Map());
      }
      throw new CheckpointFileError(path, { kind: 'unreadable', detail: (error as Error).message }, { cause: error });
    }
    const data = parseCheckpoint(text, path);
    if (data.streamArn !== streamArn) {
      throw new CheckpointFileError(path, { kind: 'other-stream', savedFor: data.streamArn, wanted: streamArn });
    }
    return new CheckpointStore(path, streamArn, new Map(Object.entries(data.shards)), { ...(data.sections ?? {}) });
  }

  position(shardId: string): { sequenceNumber?: string; finished: boolean } | undefined {
    const progress = this.shards.get(shardId);
    if (!progress) return undefined;
    return { ...(progress.sequenceNumber ? { sequenceNumber: progress.sequenceNumber } : {}), finished: Boolean(progress.finished) };
  }

  shardIds(): string[] {
    return [...this.shards.keys()];
  }

  /** Records of `shardId` up to and including `sequenceNumber` are handled. Never moves back. */
  advance(shardId: string, sequenceNumber: string): void {
    const progress = this.shards.get(shardId) ?? {};
    if (progress.sequenceNumber && compareSequenceNumbers(progress.sequenceNumber, sequenceNumber) >= 0) return;
    progress.sequenceNumber = sequenceNumber;
    this.shards.set(shardId, progress);
    this.dirty = true;
  }

  finish(shardId: string): void {
    const progress = this.shards.get(shardId) ?? {};
    progress.finished = true;
    this.shards.set(shardId, progress);
    this.dirty = true;
  }

  /** A section another part of ddbstream keeps in this file (undefined if it has none yet). */
  section(name: string): unknown {
    return this.sections[name];
  }

  /** Replaces a section; saved with the shards. */
  setSection(name: string, value: unknown): void {
    this.sections[name] = value;
    this.dirty = true;
  }

  /** Write now if anything changed. Saves are serialized, so the file on disk only moves forward. */
  save(): Promise<void> {
    if (!this.dirty) return this.saving;
    this.dirty = false;
    this.lastSave = Date.now();
    const data: CheckpointFile = {
      format: 'ddbstream-checkpoint',
      version: 1,
      streamArn: this.streamArn,
      updatedAt: new Date().toISOString(),
      shards: Object.fromEntries(this.shards),
      ...(Object.keys(this.sections).length ? { sections: this.sections } : {}),
    };
    const text = JSON.stringify(data, null, 2) + '\n';
    this.saving = this.saving.then(() => writeAtomically(this.path, text));
    return this.saving;
  }

  /** Save at most once per interval: cheap to call after every page. */
  saveIfDue(intervalMs = 1_000): Promise<void> {
    return Date.now() - this.lastSave >= intervalMs ? this.save() : this.saving;
  }
}

function parseCheckpoint(text: string, path: string): CheckpointFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CheckpointFileError(path, { kind: 'corrupt', detail: (error as Error).message }, { cause: error });
  }
  const file = data as Partial<CheckpointFile>;
  if (!file || file.format !== 'ddbstream-checkpoint' || typeof file.streamArn !== 'string' || typeof file.shards !== 'object' || file.shards === null) {
    throw new CheckpointFileError(path, { kind: 'not-a-checkpoint' });
  }
  for (const [shardId, progress] of Object.entries(file.shards)) {
    const seq = (progress as ShardProgress).sequenceNumber;
    if (seq !== undefined && !/^\d{1,40}$/.test(seq)) {
      throw new CheckpointFileError(path, { kind: 'invalid-sequence-number', shardId });
    }
  }
  return file as CheckpointFile;
}

async function assertWritableDirectory(path: string): Promise<void> {
  const probe = join(dirname(path), `.${basename(path)}.probe-${process.pid}`);
  try {
    const handle = await openFile(probe, 'wx', 0o600);
    await handle.close();
    await unlink(probe);
  } catch (error) {
    const detail = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new CheckpointFileError(path, { kind: 'unwritable-folder', detail }, { cause: error });
  }
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
  try {
    const handle = await openFile(temp, 'w', 0o600);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw new CheckpointFileError(path, { kind: 'save-failed', detail: (error as Error).message }, { cause: error });
  }
}
