import { CheckpointFileError, type CheckpointProblem } from './errors.js';

/** One shard's progress. */
export interface ShardProgress {
  /** The last sequence number fully handled (written, or delivered to a handler that succeeded). */
  sequenceNumber?: string;
  /** Closed and read to its end: never read again; its children may start. */
  finished?: boolean;
}

/** One stream's part of a checkpoint file, tied to its stream ARN. */
export interface CheckpointPart {
  shards: Record<string, ShardProgress>;
  /** Progress of work that is not a shard's, kept whole for its owner (a backfill's scan). */
  sections?: Record<string, unknown>;
}

const FORMAT = 'ddbstream-checkpoint';

/** Version 1: one stream, its part at the top level. */
interface OneStreamFile extends CheckpointPart {
  format: typeof FORMAT;
  version: 1;
  streamArn: string;
  updatedAt: string;
}

/** Version 2: several streams, one part per stream ARN. */
interface SeveralStreamsFile {
  format: typeof FORMAT;
  version: 2;
  updatedAt: string;
  streams: Record<string, CheckpointPart>;
}

/**
 * The parts of a checkpoint file's text, by stream ARN. Reads both versions: a file of one
 * stream (version 1, every file written before several streams could share one) and a file of
 * several (version 2).
 */
export function parseCheckpoint(text: string, path: string): Map<string, CheckpointPart> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CheckpointFileError(path, { kind: 'corrupt', detail: (error as Error).message }, { cause: error });
  }
  const file = (isObject(data) ? data : {}) as Partial<OneStreamFile> & Partial<Omit<SeveralStreamsFile, 'version'>>;
  if (file.format !== FORMAT) throw new CheckpointFileError(path, { kind: 'not-a-checkpoint' });
  const parts = new Map<string, CheckpointPart>();
  if ((file.version as number | undefined) === 2) {
    if (!isObject(file.streams)) throw new CheckpointFileError(path, { kind: 'not-a-checkpoint' });
    for (const [streamArn, part] of Object.entries(file.streams)) parts.set(streamArn, checkedPart(part, path));
  } else if (file.version === undefined || file.version === 1) {
    if (typeof file.streamArn !== 'string') throw new CheckpointFileError(path, { kind: 'not-a-checkpoint' });
    parts.set(file.streamArn, checkedPart(file, path));
  } else {
    // A newer ddbstream's file: refused rather than half understood.
    throw new CheckpointFileError(path, { kind: 'not-a-checkpoint' });
  }
  return parts;
}

/**
 * The text of a checkpoint file holding `parts`. A file of one stream keeps version 1, exactly
 * the shape it always had: a one-stream file stays readable by an older ddbstream and by
 * scripts that read `.shards`. Only a file that really holds several streams takes version 2,
 * which an older ddbstream refuses as not a checkpoint (it has no top-level `streamArn`) rather
 * than reading one stream's positions as another's. Parts with nothing in them are left out:
 * a stream without a part starts from --from, as it would with an empty one.
 */
export function checkpointText(parts: ReadonlyMap<string, CheckpointPart>, now: Date): string {
  const kept = [...parts].filter(([, part]) => Object.keys(part.shards).length > 0 || Object.keys(part.sections ?? {}).length > 0);
  const updatedAt = now.toISOString();
  let data: OneStreamFile | SeveralStreamsFile;
  if (kept.length === 1) {
    const [streamArn, part] = kept[0]!;
    data = { format: FORMAT, version: 1, streamArn, updatedAt, ...partData(part) };
  } else {
    data = { format: FORMAT, version: 2, updatedAt, streams: Object.fromEntries(kept.map(([arn, part]) => [arn, partData(part)])) };
  }
  return JSON.stringify(data, null, 2) + '\n';
}

/**
 * Whether a file with parts for `saved` streams may be used by a run of the `wanted` streams.
 * Streams without a part start from --from, and parts of streams not in the run are kept; but a
 * part of another stream of the same table (the table was re-created, or its stream turned off
 * and on) is refused, and so is a file none of whose parts is for a stream of the run: both
 * mean a different file was meant, and starting over would re-deliver or skip a day of records.
 */
export function streamConflict(saved: readonly string[], wanted: readonly string[]): CheckpointProblem | undefined {
  for (const stream of wanted) {
    const older = saved.find((arn) => arn !== stream && !wanted.includes(arn) && tableOf(arn) === tableOf(stream));
    if (older !== undefined) return { kind: 'other-stream', savedFor: older, wanted: stream };
  }
  if (saved.length > 0 && wanted.length > 0 && !saved.some((arn) => wanted.includes(arn))) {
    return { kind: 'other-stream', savedFor: saved[0]!, wanted: wanted[0]! };
  }
  return undefined;
}

/** The table's ARN of a stream ARN (a table ARN stays as it is: a backfill of a table without a stream keys its part so). */
function tableOf(arn: string): string {
  const at = arn.indexOf('/stream/');
  return at < 0 ? arn : arn.slice(0, at);
}

function checkedPart(value: unknown, path: string): CheckpointPart {
  const part = (isObject(value) ? value : {}) as Partial<CheckpointPart>;
  if (!isObject(part.shards)) throw new CheckpointFileError(path, { kind: 'not-a-checkpoint' });
  for (const [shardId, progress] of Object.entries(part.shards)) {
    if (!isObject(progress)) throw new CheckpointFileError(path, { kind: 'not-a-checkpoint' });
    const seq: unknown = progress.sequenceNumber;
    if (seq !== undefined && (typeof seq !== 'string' || !/^\d{1,40}$/.test(seq))) {
      throw new CheckpointFileError(path, { kind: 'invalid-sequence-number', shardId });
    }
  }
  return { shards: part.shards as Record<string, ShardProgress>, ...(isObject(part.sections) ? { sections: part.sections } : {}) };
}

function partData(part: CheckpointPart): CheckpointPart {
  return { shards: part.shards, ...(part.sections && Object.keys(part.sections).length ? { sections: part.sections } : {}) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
