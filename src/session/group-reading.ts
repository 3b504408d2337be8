import type { AwsClients } from '../aws/clients.js';
import { LeaseCoordinator } from '../lease/lease-coordinator.js';
import { LeaseTable } from '../lease/lease-table.js';
import type { GroupOptions } from '../options/group-options.js';
import type { ReadingOptions } from '../options/reading-options.js';
import { readStream, type ReadStreamOptions } from '../stream/reader.js';
import type { ShardBatch } from '../stream/types.js';

/** A consumer group's side of a reading session: the coordinator and how it wraps the reader. */
export interface GroupReading {
  coordinator: LeaseCoordinator;
  /** The reader's pages, read under the group's leases. Throws what stopped the group. */
  read(options: Omit<ReadStreamOptions, 'assignment' | 'checkpoint'>): AsyncGenerator<ShardBatch>;
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
    async *read(options) {
      const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
      await coordinator.start(signal);
      for await (const batch of readStream({ ...options, signal, assignment: coordinator })) {
        // Past --until the run delivers no more of this shard: its tip needs no later checkpoint.
        if (pastUntil && batch.records.some(pastUntil)) coordinator.shardCut(batch.shardId);
        yield batch;
      }
      // The reader ends quietly when stopped; a group that failed must not look like one that finished.
      if (coordinator.failed) throw coordinator.failed;
    },
  };
}
