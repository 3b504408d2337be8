import type { LambdaStreamRecord } from '../records/lambda-record.js';
import { ContiguousCheckpoint } from './contiguous-checkpoint.js';
import { laneOf } from './item-key.js';
import { Lane } from './lane.js';

/** One shard as the engine runs it: its lanes, and how far its checkpoint may go. */
export class ShardState {
  /** Where the checkpoint may stand: records not yet passed, in stream order. */
  readonly progress = new ContiguousCheckpoint();
  readonly lanes: Lane[];
  /** The source delivered the shard's last record. */
  ended = false;
  /** The source reached the shard's tip. */
  caughtUp = false;

  constructor(readonly id: string, parallelizationFactor: number) {
    this.lanes = Array.from({ length: parallelizationFactor }, () => new Lane());
  }

  /** The lane of the record's item: all of an item's records share one. */
  laneFor(record: LambdaStreamRecord): Lane {
    return this.lanes[laneOf(record, this.lanes.length)]!;
  }

  /** Records or bisected halves wait in some lane. */
  get waiting(): boolean {
    return this.lanes.some((lane) => lane.waiting);
  }

  /** Closed, every record passed by the checkpoint, and nothing running or waiting. */
  get finished(): boolean {
    return this.ended && this.progress.settled && !this.lanes.some((lane) => lane.busy || lane.waiting);
  }

  stopTimers(): void {
    for (const lane of this.lanes) lane.stopTimer();
  }
}
