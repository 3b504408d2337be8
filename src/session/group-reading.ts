import type { AwsClients } from '../aws/clients.js';
import { LeaseCoordinator } from '../lease/lease-coordinator.js';
import { LeaseTable } from '../lease/lease-table.js';
import type { GroupOptions } from '../options/group-options.js';
import type { ReadingOptions } from '../options/reading-options.js';
import { readStream, type ReadStreamOptions } from '../stream/reader.js';
import type { ShardBatch } from '../stream/types.js';

/** What a group reads: pages of its own first (a backfill's scan), then the stream, under the group's leases. */
export interface GroupReadSettings {
  signal: AbortSignal;
  /** Pages read before the stream, with the coordinator started. */
  first?: (coordinator: LeaseCoordinator, signal: AbortSignal) => AsyncIterable<ShardBatch>;
  /** The stream; absent for a table without one (a backfill of its items only). */
  stream?: Omit<ReadStreamOptions, 'assignment' | 'checkpoint' | 'signal'>;
}

/** A consumer group's side of a reading session: the coordinator and how it wraps the reader. */
export interface GroupReading {
  coordinator: LeaseCoordinator;
  /** The pages, read under the group's leases. Throws what stopped the group. */
  read(settings: GroupReadSettings): AsyncGenerator<ShardBatch>;
}

export function openGroupReading(group: GroupOptions, clients: AwsClients, streamArn: string, reading: ReadingOptions, follow: boolean): GroupReading {
  const stop = new AbortController();
  const coordinator = new LeaseCoordinator({
    table: new LeaseTable(clients.tables, group.leaseTable),
    streamArn,
    workerId: group.workerId,
    leaseDurationMs: group.leaseDurationMs,
    follow,
    onError: () => stop.abort(),
  });
  const pastUntil = reading.pastUntil;
  return {
    coordinator,
    async *read(settings) {
      const signal = AbortSignal.any([settings.signal, stop.signal]);
      await coordinator.start(signal);
      if (settings.first) yield* settings.first(coordinator, signal);
      if (settings.stream && !signal.aborted) {
        for await (const batch of readStream({ ...settings.stream, signal, assignment: coordinator })) {
          // Past --until the run delivers no more of this shard: its tip needs no later checkpoint.
          if (pastUntil && batch.records.some(pastUntil)) coordinator.shardCut(batch.shardId);
          yield batch;
        }
      }
      // The reader ends quietly when stopped; a group that failed must not look like one that finished.
      if (coordinator.failed) throw coordinator.failed;
    },
  };
}
