import { setMaxListeners } from 'node:events';
import { PageHandover } from '../stream/page-handover.js';
import { scanPage, type ScanCallOptions, type ScanPage } from './parallel-scan.js';
import { encodeSegmentPosition, type SegmentPosition } from './segment-position.js';

/** A segment this worker may scan now, and where it continues. */
export interface SegmentTurn {
  segment: number;
  from: SegmentPosition;
  /** `from` as the checkpoint holds it (absent at the segment's start): the position to hand over at, until a page is read. */
  at?: string;
}

/** How a scanning worker stopped reading a segment: at its end, or because it is not its own any more. */
export type SegmentStop = { how: 'end' } | { how: 'lost'; handed?: string };

/**
 * Workers sharing a scan: someone else decides which segments this worker scans and from where
 * (a consumer group's leases). The scan knows nothing more of it than these three calls.
 */
export interface SegmentAssignment {
  /** The next segment to scan; undefined once every segment is done, by whichever worker (or on abort). */
  next(signal: AbortSignal): Promise<SegmentTurn | undefined>;
  /** Whether the segment is still this worker's: asked before every page. */
  holds(segment: number): boolean;
  /**
   * The worker stopped reading the segment. `handed`: where the last page handed on leaves the
   * segment; the segment is let go once that is delivered. Resolves once the assignment took note.
   */
  stopped(segment: number, stop: SegmentStop): Promise<void>;
}

export interface AssignedScanOptions extends ScanCallOptions {
  assignment: SegmentAssignment;
  /** Segments scanned at once. */
  concurrency: number;
  signal: AbortSignal;
}

/** A page of a shared scan. */
export interface AssignedScanPage extends ScanPage {
  /** The number of the page's first item within its segment (from 1). */
  firstItem: number;
  /** Where the segment stands once this page is delivered; absent on its last page. */
  position?: string;
}

/**
 * A Scan whose segments are handed out by an assignment: `concurrency` segments at a time, each
 * read page by page from where the assignment says, for as long as it stays this worker's. Ends
 * once the assignment has no segment left, whoever scanned them. As in parallelScan, one page
 * per segment waits for the consumer at most.
 */
export async function* assignedScan(options: AssignedScanOptions): AsyncGenerator<AssignedScanPage> {
  const { assignment } = options;
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  const slots = Math.max(1, options.concurrency);
  const pages = new PageHandover<AssignedScanPage>(slots);
  const halt = (): void => {
    stop.abort();
    pages.halt();
  };
  options.signal.addEventListener('abort', halt, { once: true });

  /** Resolves once the consumer took the page (or the scan stopped). */
  const handOver = async (page: AssignedScanPage): Promise<void> => {
    const handed = pages.hand(page);
    await handed.queued;
    await handed.taken;
  };

  const readSegment = async ({ segment, from, at }: SegmentTurn): Promise<void> => {
    let key = from.after;
    let items = from.items;
    let handed = at;
    for (;;) {
      // A segment asked for by another worker, or whose lease lapsed, is left where its pages got to.
      if (!assignment.holds(segment)) return assignment.stopped(segment, { how: 'lost', ...(handed !== undefined ? { handed } : {}) });
      const page = await scanPage(options, segment, key, stop.signal);
      if (!page || stop.signal.aborted) return;
      const position = page.next ? encodeSegmentPosition({ items: items + page.items.length, after: page.next }) : undefined;
      // An empty page in mid-segment delivers nothing: the next page's position supersedes its own.
      if (page.items.length || !page.next) {
        await handOver({ ...page, firstItem: items + 1, ...(position !== undefined ? { position } : {}) });
        if (stop.signal.aborted) return;
        handed = position;
      }
      items += page.items.length;
      if (!page.next) return assignment.stopped(segment, { how: 'end' });
      key = page.next;
    }
  };

  const slot = async (): Promise<void> => {
    for (;;) {
      const turn = await assignment.next(stop.signal);
      if (!turn || stop.signal.aborted) return;
      await readSegment(turn);
    }
  };

  let running = slots;
  for (let i = 0; i < slots; i++) {
    void slot().then(
      () => {
        if (--running === 0) pages.close();
      },
      (error: unknown) => pages.fail(error),
    );
  }
  try {
    yield* pages.pages(options.signal);
  } finally {
    options.signal.removeEventListener('abort', halt);
    halt();
  }
}
