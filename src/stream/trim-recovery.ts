import { StreamGoneError, TrimmedPositionError } from './errors.js';
import { isNotFound, type ReaderCalls } from './reader-calls.js';
import { describeStartPosition } from './position.js';
import { describeLostRecords, describeTrimmedPoint, type TrimmedPoint } from './trim-point.js';
import type { ReaderEvent, StartPosition } from './types.js';

/**
 * DynamoDB Local refuses, as trimmed, an iterator taken while its shard was empty once the first
 * record arrives. A shard is opened again after that at most this many times in a row (without a
 * record read in between): past that, it is the trimmed error it says it is.
 */
export const MAX_EMPTY_SHARD_REOPENS = 3;

/** Stands for an iterator of a shard that has aged out of the stream: nothing left to read. */
export const GONE = Symbol('shard gone');

/** An iterator to read on with; GONE for a shard with nothing left; undefined once the reader stops. */
export type NextIterator = string | typeof GONE | undefined;

export interface TrimRecoverySettings {
  calls: ReaderCalls;
  streamArn: string;
  /** Records past the 24-hour retention: fail, or warn and go on with what is still there. */
  onTrimmed: 'fail' | 'skip';
  emit: (event: ReaderEvent) => void;
}

/** How far the reading of one shard got, for a new iterator after a failed GetRecords. */
export interface ShardProgress {
  /** Where this run began the shard. */
  startedAt: StartPosition;
  /** Where to begin again while no record was read (TRIM_HORIZON when the service refused the start). */
  origin: StartPosition;
  /** The last record read, if any. */
  lastRead: string | undefined;
  /** Times in a row the shard was opened again after a trimmed error that could not lose anything. */
  emptyReopens: number;
}

/**
 * Getting a shard's iterator back when time took it away: an iterator that expired (after a
 * laptop sleep or a long handler) resumes right after the last record read; records past the
 * retention (TrimmedDataAccessException, or the whole shard gone) stop the run with a
 * TrimmedPositionError, or with --on-trimmed skip go on at TRIM_HORIZON, or with the children.
 */
export class TrimRecovery {
  /**
   * Shards skipped to TRIM_HORIZON past trimmed records, and where the lost records began: the
   * warning waits for the next page, which tells where reading picks up again.
   */
  private readonly trimGaps = new Map<string, string>();

  constructor(private readonly settings: TrimRecoverySettings) {}

  /** GetShardIterator at `position`, going past trimmed records as --on-trimmed says. */
  async openIterator(shardId: string, position: StartPosition): Promise<NextIterator> {
    try {
      return await this.settings.calls.iterator(shardId, position);
    } catch (error) {
      if (await this.agedOut(shardId, error)) return this.afterTrim(shardId, { kind: 'shard-gone', position }, error);
      if (!isTrimmed(error) || !('sequenceNumber' in position)) throw error;
      return this.afterTrim(shardId, { kind: 'sequence', position }, error);
    }
  }

  /** A new iterator after GetRecords failed with `error`, or the error again when time is not the cause. */
  async afterFailedRead(shardId: string, error: unknown, progress: ShardProgress): Promise<NextIterator> {
    if ((error as Error | undefined)?.name === 'ExpiredIteratorException') {
      this.settings.emit({ type: 'iterator-expired', shardId });
      const resume: StartPosition = progress.lastRead
        ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: progress.lastRead }
        : progress.origin;
      return this.openIterator(shardId, resume);
    }
    if (isTrimmed(error) && lostNothing(progress) && progress.emptyReopens < MAX_EMPTY_SHARD_REOPENS) {
      return this.reopenEmpty(shardId, progress);
    }
    if (isTrimmed(error) || (await this.agedOut(shardId, error))) {
      // The records under the iterator, or the whole shard, aged out while we read it.
      const point: TrimmedPoint = { kind: 'after-read', lastRead: progress.lastRead, startedAt: progress.startedAt };
      return this.afterTrim(shardId, point, error);
    }
    throw error;
  }

  /**
   * Nothing was read from this shard and it began at LATEST or TRIM_HORIZON: the iterator was
   * taken on a shard with no records (DynamoDB's iterators expire after 15 minutes, long before
   * a 24-hour trim could reach where they began). TRIM_HORIZON reads every record since, the
   * first ones included, which LATEST would skip.
   */
  private async reopenEmpty(shardId: string, progress: ShardProgress): Promise<NextIterator> {
    progress.emptyReopens += 1;
    this.settings.emit({ type: 'empty-shard-reopened', shardId, startedAt: describeStartPosition(progress.startedAt) });
    progress.origin = { type: 'TRIM_HORIZON' };
    return this.openIterator(shardId, progress.origin);
  }

  /** A page of `shardId` arrived: after a skip past trimmed records, warn of the range lost. */
  notePage(shardId: string, firstSequence: string | undefined): void {
    const lost = this.trimGaps.get(shardId);
    if (lost === undefined) return;
    this.trimGaps.delete(shardId);
    this.settings.emit({ type: 'trimmed', shardId, message: trimNotice(lost, firstSequence) });
  }

  /** Stop (--on-trimmed fail), or go on at TRIM_HORIZON, or with the children when the shard went whole. */
  private async afterTrim(shardId: string, point: TrimmedPoint, error: unknown): Promise<NextIterator> {
    if (this.settings.onTrimmed !== 'skip') throw new TrimmedPositionError(shardId, point, { cause: error });
    if (point.kind === 'shard-gone') return this.gone(shardId, point);
    try {
      const iterator = await this.settings.calls.iterator(shardId, { type: 'TRIM_HORIZON' });
      this.trimGaps.set(shardId, describeLostRecords(point));
      return iterator;
    } catch (next) {
      // Nothing left at all: the shard itself has gone the same way.
      if (await this.agedOut(shardId, next)) return this.gone(shardId, point);
      throw next;
    }
  }

  private gone(shardId: string, point: TrimmedPoint): typeof GONE {
    this.settings.emit({
      type: 'trimmed',
      shardId,
      message: `${describeTrimmedPoint(point)} aged out of the stream with the whole shard before they were read; they are lost. Continuing with its children`,
    });
    return GONE;
  }

  /**
   * Whether a shard call failed because the shard aged out of the stream. ResourceNotFoundException
   * names the stream or the shard: describe to tell which. A stream that is gone, or still lists
   * the shard, is a StreamGoneError.
   */
  private async agedOut(shardId: string, error: unknown): Promise<boolean> {
    if (!isNotFound(error)) return false;
    const described = await this.settings.calls.describe();
    if (described && !described.shards.some((shard) => shard.ShardId === shardId)) return true;
    throw new StreamGoneError(this.settings.streamArn, { cause: error });
  }
}

/** A trimmed error here cannot mean lost records: nothing read yet, from a start that is no record's number. */
function lostNothing(progress: ShardProgress): boolean {
  const start = progress.startedAt.type;
  return progress.lastRead === undefined && (start === 'LATEST' || start === 'TRIM_HORIZON');
}

function isTrimmed(error: unknown): boolean {
  return (error as Error | undefined)?.name === 'TrimmedDataAccessException';
}

/** What --on-trimmed skip lost, as far as DynamoDB lets anyone know: where it begins and ends. */
function trimNotice(lost: string, resumedAt: string | undefined): string {
  const continuing = resumedAt ? `sequence number ${resumedAt}, the oldest record still kept` : 'TRIM_HORIZON';
  return `the records ${lost} were trimmed (older than the stream keeps, 24 h) before they were read; continuing at ${continuing}. ` +
    'The records in between are lost (DynamoDB does not say how many).';
}
