import type { EventName } from './record.js';

/** What a count needs of a record: where it came from and what it was. */
export interface CountedRecord {
  shardId?: string;
  /** Its stream: counted apart when several streams are read. */
  streamArn?: string;
  eventName: EventName;
  /** A scanned item: counted under "scan", whatever segment it came from. */
  scan?: true;
}

/** Records delivered, per shard and per event name, for `--stats`; per stream too when several are read. */
export class RecordCounts {
  total = 0;
  readonly perShard = new Map<string, number>();
  readonly perEvent = new Map<EventName, number>();
  /** The same counts for each stream, by ARN, in the order named; only when several streams were named. */
  readonly perStream: ReadonlyMap<string, RecordCounts> | undefined;

  constructor(streamArns?: readonly string[]) {
    // Every stream named gets its counts, also one that delivers nothing.
    this.perStream = streamArns && streamArns.length > 1 ? new Map(streamArns.map((arn) => [arn, new RecordCounts()])) : undefined;
  }

  add(records: readonly CountedRecord[]): void {
    for (const record of records) {
      this.total++;
      // Scanned items belong to no shard: they are counted under "scan".
      const shard = record.scan || record.shardId === undefined ? 'scan' : record.shardId;
      this.perShard.set(shard, (this.perShard.get(shard) ?? 0) + 1);
      this.perEvent.set(record.eventName, (this.perEvent.get(record.eventName) ?? 0) + 1);
      if (this.perStream && record.streamArn !== undefined) this.perStream.get(record.streamArn)?.add([record]);
    }
  }
}
