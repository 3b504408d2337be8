import type { DynamoDBStreamsClient, Shard } from '@aws-sdk/client-dynamodb-streams';
import { sleep } from '../util/sleep.js';
import { describeChildShards } from './describe.js';
import { GaveUpRetryingError } from './errors.js';
import { withRetry, type RetryPolicy } from './retry.js';
import type { ReaderEvent } from './types.js';

/**
 * While following, a shard can end before the service lists its children. Ask again after these
 * waits (about 1.5 s in all, as the DynamoDB Streams Kinesis adapter does) before leaving them to
 * the periodic describe.
 */
export const CHILD_RETRY_DELAYS_MS: readonly number[] = [100, 200, 400, 800];

// DescribeStream allows about 10 calls a second per stream. When many shards end at once (a
// stream disabled, a checkpoint of closed shards), the shards beyond these share one describe
// of the whole stream instead, as before.
const MAX_IN_FLIGHT = 4;

export interface ChildShardSettings {
  client: DynamoDBStreamsClient;
  streamArn: string;
  retry: RetryPolicy;
  /** The reader's stop. */
  signal: AbortSignal;
  emit: (event: ReaderEvent) => void;
  retryDelaysMs?: readonly number[];
}

export interface ChildListing {
  shards: Shard[];
  /** The stream is DISABLED or DISABLING: no child will come. */
  disabled: boolean;
}

/**
 * The children of a shard that just ended, asked for by name (DescribeStream's CHILD_SHARDS
 * filter) rather than found by the next describe of the whole stream. An endpoint that rejects
 * or ignores the filter is asked no more: `find` then answers undefined, and the caller
 * describes the whole stream as before.
 */
export class ChildShards {
  private supported = true;
  private inFlight = 0;

  constructor(private readonly settings: ChildShardSettings) {}

  /**
   * `patient`: when no child is listed yet, ask again a few times (following, children will
   * come). Undefined: not asked (unsupported, too many asking, stopped): describe the whole stream.
   */
  async find(shardId: string, patient: boolean): Promise<ChildListing | undefined> {
    if (!this.supported || this.inFlight >= MAX_IN_FLIGHT) return undefined;
    const delays = patient ? (this.settings.retryDelaysMs ?? CHILD_RETRY_DELAYS_MS) : [];
    this.inFlight++;
    try {
      for (let attempt = 0; ; attempt++) {
        const listing = await this.ask(shardId);
        if (!listing || listing.shards.length || listing.disabled || attempt >= delays.length) return listing;
        await sleep(delays[attempt]!, this.settings.signal);
        if (this.settings.signal.aborted) return undefined;
      }
    } finally {
      this.inFlight--;
    }
  }

  private async ask(shardId: string): Promise<ChildListing | undefined> {
    if (!this.supported) return undefined;
    const { client, streamArn, retry, signal, emit } = this.settings;
    let answer;
    try {
      answer = await withRetry(() => describeChildShards(client, streamArn, shardId, signal), retry, {
        onBackoff: (reason, delayMs, attempt) => emit({ type: 'backoff', reason, delayMs, attempt }),
        onRecovered: () => emit({ type: 'recovered' }),
      }, signal);
    } catch (error) {
      if (signal.aborted) return undefined;
      if (error instanceof GaveUpRetryingError) throw error;
      // Most likely an endpoint that predates the filter (a validation error). Whatever it is,
      // the whole-stream describe that follows meets it again and reports it as it always did.
      this.supported = false;
      return undefined;
    }
    if (answer === undefined) return undefined;
    if (answer === 'ignored') {
      this.supported = false;
      return undefined;
    }
    return { shards: answer.shards, disabled: answer.status === 'DISABLED' || answer.status === 'DISABLING' };
  }
}
