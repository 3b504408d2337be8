import { ReplayEngine, type EngineOptions } from './engine.js';
import type { CheckpointSink, EngineEvent, EngineStats, ReplayPage } from './engine-types.js';

/** What one event source mapping reads: one stream's pages (or a file's), and where its checkpoint goes. */
export interface MappingSource {
  pages: AsyncIterable<ReplayPage>;
  checkpoint?: CheckpointSink;
  /** The stream's name in what the mapping reports, when there are several. */
  name?: string;
}

/** A mapping's settings; its events come with the name of its source, when it has one. */
export type MappingOptions = Omit<EngineOptions, 'checkpoint' | 'onEvent'> & {
  onEvent?: (event: EngineEvent, stream?: string) => void;
};

/**
 * The event source mappings of one function, as Lambda runs a function with several triggers:
 * one engine per stream, each with the same settings and its own shards, batches and checkpoint,
 * all invoking the same handler. A batch never mixes streams. When one mapping fails (its stream
 * is gone, a checkpoint cannot be saved), the others stop as after Ctrl-C, their finished
 * batches checkpointed, and the run fails with the first failure.
 */
export class ReplayMappings {
  private readonly failed = new AbortController();
  private engines: ReplayEngine[] = [];
  /** Aborts when the run is interrupted or a mapping failed: the readers of the streams stop on it too. */
  readonly signal: AbortSignal;

  constructor(private readonly options: MappingOptions) {
    this.signal = options.signal ? AbortSignal.any([options.signal, this.failed.signal]) : this.failed.signal;
  }

  /** The counts of every mapping together, as they stand (for the progress line). */
  get stats(): EngineStats {
    return sumStats(this.engines.map((engine) => engine.stats));
  }

  /** Runs one mapping per source until every one is done; each mapping's counts, in the order of the sources. */
  async run(sources: readonly MappingSource[]): Promise<EngineStats[]> {
    const { onEvent } = this.options;
    this.engines = sources.map((source) => new ReplayEngine({
      ...this.options,
      ...(source.checkpoint ? { checkpoint: source.checkpoint } : {}),
      ...(onEvent ? { onEvent: (event: EngineEvent) => onEvent(event, source.name) } : {}),
      signal: this.signal,
    }));
    const results = await Promise.allSettled(this.engines.map((engine, i) => engine.run(sources[i]!.pages).catch((error: unknown) => {
      this.failed.abort();
      throw error;
    })));
    const failure = results.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
    return results.map((result) => (result as PromiseFulfilledResult<EngineStats>).value);
  }
}

/** Several mappings' counts as one: sums, the newest record handled, caught up when all are. */
export function sumStats(all: readonly EngineStats[]): EngineStats {
  const total: EngineStats = {
    received: 0, filtered: 0, succeeded: 0, invocations: 0, functionErrors: 0, retries: 0, bisects: 0,
    failedRecords: 0, failedBatches: 0, caughtUp: all.length > 0,
  };
  for (const stats of all) {
    total.received += stats.received;
    total.filtered += stats.filtered;
    total.succeeded += stats.succeeded;
    total.invocations += stats.invocations;
    total.functionErrors += stats.functionErrors;
    total.retries += stats.retries;
    total.bisects += stats.bisects;
    total.failedRecords += stats.failedRecords;
    total.failedBatches += stats.failedBatches;
    total.caughtUp &&= stats.caughtUp;
    if (stats.lastRecordTime !== undefined && (total.lastRecordTime === undefined || stats.lastRecordTime > total.lastRecordTime)) {
      total.lastRecordTime = stats.lastRecordTime;
    }
  }
  return total;
}
