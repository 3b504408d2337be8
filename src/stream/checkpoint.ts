import { open as openFile, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { compareSequenceNumbers } from '../records/record.js';
import { checkpointText, parseCheckpoint, streamConflict, type CheckpointPart, type ShardProgress } from './checkpoint-format.js';
import { CheckpointFileError } from './errors.js';
import type { CheckpointView } from './start-plan.js';

/** A part as the store keeps it: shards by id, sections by name. */
interface LivePart {
  shards: Map<string, ShardProgress>;
  sections: Record<string, unknown>;
}

/**
 * A checkpoint file: one part per stream, each tied to its stream ARN (the format is in
 * `checkpoint-format.ts`), saved atomically (temp file + rename, mode 0600: it names tables and
 * keys). A run opens it for its streams and moves their parts; the parts of other streams are
 * kept as they were and written back with it. A file that does not parse, or that belongs to
 * other streams (`streamConflict`), is refused: silently starting over would re-deliver or skip a
 * day of records.
 */
export class CheckpointFile {
  private dirty = false;
  private lastSave = 0;
  private saving: Promise<void> = Promise.resolve();
  private readonly stores = new Map<string, CheckpointStore>();

  private constructor(readonly path: string, private readonly parts: Map<string, LivePart>) {}

  /** Opens (or, if it does not exist, prepares) the file for a run of `streamArns`. */
  static async open(path: string, streamArns: readonly string[]): Promise<CheckpointFile> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        await assertWritableDirectory(path);
        return new CheckpointFile(path, new Map());
      }
      throw new CheckpointFileError(path, { kind: 'unreadable', detail: (error as Error).message }, { cause: error });
    }
    const saved = parseCheckpoint(text, path);
    const conflict = streamConflict([...saved.keys()], streamArns);
    if (conflict) throw new CheckpointFileError(path, conflict);
    const parts = new Map<string, LivePart>();
    for (const [streamArn, part] of saved) parts.set(streamArn, { shards: new Map(Object.entries(part.shards)), sections: { ...(part.sections ?? {}) } });
    return new CheckpointFile(path, parts);
  }

  /** The part of one stream: what the file holds for it, or an empty one (the stream starts from --from). */
  part(streamArn: string): CheckpointStore {
    let store = this.stores.get(streamArn);
    if (!store) {
      let part = this.parts.get(streamArn);
      if (!part) {
        part = { shards: new Map(), sections: {} };
        this.parts.set(streamArn, part);
      }
      store = new CheckpointStore(this, streamArn, part.shards, part.sections);
      this.stores.set(streamArn, store);
    }
    return store;
  }

  /** A part changed: the next save writes. */
  touch(): void {
    this.dirty = true;
  }

  /**
   * Write now if anything changed. Saves are serialized, so the file on disk only moves forward.
   * The parts of streams this run does not read are taken from the file as it is at the moment
   * of writing: another run may share the file for its own streams, and its progress stays.
   */
  save(): Promise<void> {
    if (!this.dirty) return this.saving;
    this.dirty = false;
    this.lastSave = Date.now();
    const snapshot = (part: LivePart): CheckpointPart => ({ shards: Object.fromEntries(part.shards), sections: { ...part.sections } });
    const ours = new Map([...this.stores.keys()].map((arn) => [arn, snapshot(this.parts.get(arn)!)]));
    const kept = new Map([...this.parts].filter(([arn]) => !this.stores.has(arn)).map(([arn, part]) => [arn, snapshot(part)]));
    this.saving = this.saving.then(async () => {
      const theirs = await partsOnDisk(this.path);
      for (const arn of ours.keys()) theirs.delete(arn);
      await writeAtomically(this.path, checkpointText(new Map([...ours, ...kept, ...theirs]), new Date()));
    });
    return this.saving;
  }

  /** Save at most once per interval: cheap to call after every page, from any of the parts. */
  saveIfDue(intervalMs = 1_000): Promise<void> {
    return Date.now() - this.lastSave >= intervalMs ? this.save() : this.saving;
  }
}

/**
 * Per-shard progress of one stream: its part of a checkpoint file. Saving it saves the file,
 * every part in it.
 */
export class CheckpointStore implements CheckpointView {
  constructor(
    private readonly file: CheckpointFile,
    readonly streamArn: string,
    private readonly shards: Map<string, ShardProgress>,
    private readonly sections: Record<string, unknown>,
  ) {}

  /** The file at `path`, opened for one stream, and that stream's part. */
  static async open(path: string, streamArn: string): Promise<CheckpointStore> {
    return (await CheckpointFile.open(path, [streamArn])).part(streamArn);
  }

  get path(): string {
    return this.file.path;
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
    this.file.touch();
  }

  finish(shardId: string): void {
    const progress = this.shards.get(shardId) ?? {};
    progress.finished = true;
    this.shards.set(shardId, progress);
    this.file.touch();
  }

  /** A section another part of ddbstream keeps in this stream's part (undefined if it has none yet). */
  section(name: string): unknown {
    return this.sections[name];
  }

  /** Replaces a section; saved with the shards. */
  setSection(name: string, value: unknown): void {
    this.sections[name] = value;
    this.file.touch();
  }

  /** Write the file now if anything in it changed. */
  save(): Promise<void> {
    return this.file.save();
  }

  /** Save at most once per interval. */
  saveIfDue(intervalMs = 1_000): Promise<void> {
    return this.file.saveIfDue(intervalMs);
  }
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

/** The parts in the file now; none when it is missing or does not parse (this run's save then stands alone). */
async function partsOnDisk(path: string): Promise<Map<string, CheckpointPart>> {
  try {
    return parseCheckpoint(await readFile(path, 'utf8'), path);
  } catch {
    return new Map();
  }
}
