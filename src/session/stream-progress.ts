import { StreamLag } from '../stream/lag.js';
import type { SelectedBatch } from '../stream/select-records.js';
import type { ReaderEvent } from '../stream/types.js';

/** What a status line shows of one stream among several. */
export interface StreamProgress {
  /** The stream's table. */
  name: string;
  /** Records delivered from it so far (after filters and -n). */
  records: number;
  /** Its shards as last listed; absent before the first listing. */
  shards?: { total: number; open: number; closed: number };
  /** Its shards being read now. */
  shardsReading: number;
  /** How far behind its reader is (ms, the largest over its shards); absent before anything is known. */
  lagMs?: number;
}

interface Tracked {
  name: string;
  records: number;
  shards?: StreamProgress['shards'];
  shardsReading: number;
  lag: StreamLag;
}

/**
 * Each stream's counts, shards and lag when several are read at once: the readers' events and
 * the pages the consumer takes, each told which stream it belongs to. Pure data: it never prints.
 */
export class SeveralStreamsProgress {
  private readonly streams: Tracked[];

  constructor(names: readonly string[], now: () => number = Date.now) {
    this.streams = names.map((name) => ({ name, records: 0, shardsReading: 0, lag: new StreamLag(now) }));
  }

  /** A reader event of stream `index`. */
  onEvent(index: number, event: ReaderEvent): void {
    const stream = this.streams[index];
    if (!stream) return;
    stream.lag.onEvent(event);
    if (event.type === 'describe') stream.shards = { total: event.shards, open: event.open, closed: event.closed };
    else if (event.type === 'shard-start') stream.shardsReading++;
    else if (event.type === 'shard-end') stream.shardsReading = Math.max(0, stream.shardsReading - 1);
  }

  /** A page of stream `index` handed to the consumer (its records as delivered; its source page for lag). */
  taken(index: number, batch: SelectedBatch): void {
    const stream = this.streams[index];
    if (!stream) return;
    stream.records += batch.records.length;
    stream.lag.observe(batch.source);
  }

  /** Every stream as of now, in the order they were given. */
  snapshot(): StreamProgress[] {
    return this.streams.map(({ name, records, shards, shardsReading, lag }) => {
      const lagMs = lag.behindMs();
      return { name, records, ...(shards ? { shards } : {}), shardsReading, ...(lagMs !== undefined ? { lagMs } : {}) };
    });
  }
}
