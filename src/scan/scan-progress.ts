import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { mapFromJson, mapToJson, type JsonAttributeMap } from '../records/lambda-record.js';
import type { AttributeMap } from '../records/record.js';

/** Where a scan stands, as a checkpoint keeps it. */
export interface ScanCheckpoint {
  /** When the scan began (ISO 8601): the stream is read from a margin before it. */
  startedAt: string;
  totalSegments: number;
  /** Per segment not yet done: the key to continue after (none: from the start). */
  next: Record<string, JsonAttributeMap>;
  /** Segments whose every item was delivered. */
  done: number[];
}

export type ScanKey = Record<string, AttributeValue>;

/** What a backfill's progress is kept in: a checkpoint file's section, or nothing. */
export interface ScanProgressStore {
  section(name: string): unknown;
  setSection(name: string, value: unknown): void;
}

const SECTION = 'scan';

/**
 * A scan's progress by segment. A segment's position moves only past pages whose records have
 * been delivered (written, or handled by the handler): marks arrive per segment in order, each
 * naming the last synthetic sequence number delivered, and the key after the page that held it
 * becomes the segment's new start. An interrupted scan resumes each unfinished segment there.
 */
export class ScanProgress {
  private readonly pending = new Map<number, { lastSequence: bigint; next?: ScanKey }[]>();

  private constructor(private readonly state: ScanCheckpoint, private readonly store: ScanProgressStore | undefined) {}

  /** The saved scan, or a new one that begins now. */
  static open(store: ScanProgressStore | undefined, totalSegments: number, now: Date): { progress: ScanProgress; resumed: boolean } {
    const saved = store?.section(SECTION) as ScanCheckpoint | undefined;
    if (saved && typeof saved.startedAt === 'string' && Number.isInteger(saved.totalSegments)) {
      return { progress: new ScanProgress({ ...saved, next: { ...saved.next }, done: [...saved.done] }, store), resumed: true };
    }
    const state: ScanCheckpoint = { startedAt: now.toISOString(), totalSegments, next: {}, done: [] };
    store?.setSection(SECTION, state);
    return { progress: new ScanProgress(state, store), resumed: false };
  }

  get startedAt(): Date {
    return new Date(this.state.startedAt);
  }

  get totalSegments(): number {
    return this.state.totalSegments;
  }

  get complete(): boolean {
    return this.state.done.length >= this.state.totalSegments;
  }

  get segmentsDone(): number {
    return this.state.done.length;
  }

  /** Segments left to scan, each with the key to continue after. */
  remaining(): { segment: number; startKey?: ScanKey }[] {
    const left: { segment: number; startKey?: ScanKey }[] = [];
    for (let segment = 0; segment < this.state.totalSegments; segment++) {
      if (this.state.done.includes(segment)) continue;
      const next = this.state.next[segment];
      left.push(next ? { segment, startKey: mapFromJson(next) as ScanKey } : { segment });
    }
    return left;
  }

  /** A page of a segment is on its way: its last sequence number, and the key to continue after it. */
  noteScanned(segment: number, lastSequence: bigint, next: ScanKey | undefined): void {
    const list = this.pending.get(segment) ?? [];
    list.push({ lastSequence, ...(next ? { next } : {}) });
    this.pending.set(segment, list);
  }

  /** The records of the segment up to `through` are delivered; `end`: the whole segment is. */
  delivered(segment: number, through: string | undefined, end: boolean): void {
    const list = this.pending.get(segment) ?? [];
    if (through !== undefined) {
      const upTo = BigInt(through);
      let key: ScanKey | undefined;
      let passed = 0;
      while (passed < list.length && list[passed]!.lastSequence <= upTo) key = list[passed++]!.next;
      list.splice(0, passed);
      if (key) this.state.next[segment] = mapToJson(key as AttributeMap);
    }
    if (end && !this.state.done.includes(segment)) {
      this.state.done.push(segment);
      this.state.done.sort((a, b) => a - b);
      delete this.state.next[segment];
      this.pending.delete(segment);
    }
    this.store?.setSection(SECTION, this.state);
  }
}
