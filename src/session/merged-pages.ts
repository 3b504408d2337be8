import type { ReadingOptions } from '../options/reading-options.js';
import { AsyncQueue } from '../stream/async-queue.js';
import type { CommitMark, SelectedBatch } from '../stream/select-records.js';
import { RecordBudget } from './record-budget.js';
import type { PageSession } from './reading-session.js';
import { SeveralStreamsProgress, type StreamProgress } from './stream-progress.js';

/** Several sessions read as one: their pages merged, each page's checkpoint mark sent back to its session. */
export interface MergedPages extends Pick<PageSession, 'read' | 'commit' | 'close'> {
  /** Each session's records, shards and lag as of now, in the order given. */
  progress(): StreamProgress[];
}

/**
 * One run of pages from several sessions (streams, or backfills of several tables), read
 * concurrently: pages of one shard keep their order, sessions interleave, and `-n` counts the
 * records of all of them. A merged page names its shard with its session's place in front
 * (`1/shardId-…`): two backfills each have a `scan-segment-0`, and the mark that comes back
 * must reach the one whose page it was. The records keep their own shard ids.
 */
export function mergePages(sessions: readonly PageSession[], names: readonly string[], reading: ReadingOptions): MergedPages {
  const progress = new SeveralStreamsProgress(names);
  return {
    progress: () => progress.snapshot(),
    read(settings) {
      // When the merged run ends (-n reached, the consumer left), every session's reader stops too.
      const stop = new AbortController();
      const signal = AbortSignal.any([settings.signal, stop.signal]);
      // Each session's events are its own for the per-stream status, and everyone's for the caller.
      const sources = sessions.map((session, index) => session.read({
        ...settings,
        signal,
        onEvent: (event) => {
          progress.onEvent(index, event);
          settings.onEvent?.(event);
        },
      }));
      return merged(sources, new RecordBudget(reading.maxRecords), progress, () => stop.abort());
    },
    async commit(mark: CommitMark) {
      const owner = ownerOf(mark.shardId);
      if (owner) await sessions[owner.index]?.commit({ ...mark, shardId: owner.shardId });
    },
    async close() {
      await Promise.all(sessions.map((s) => s.close()));
    },
  };
}

/** The pages of every session as they come, one page per session waiting; stops once the budget (-n) is spent. */
async function* merged(
  sources: AsyncGenerator<SelectedBatch>[],
  budget: RecordBudget,
  progress: SeveralStreamsProgress,
  onEnd: () => void,
): AsyncGenerator<SelectedBatch> {
  const queue = new AsyncQueue<{ batch: SelectedBatch; index: number }>(sources.length);
  let running = sources.length;
  let stopped = false;
  sources.forEach((pages, index) => {
    void (async () => {
      // Leaving the loop ends the session's generator, and with it its reader.
      for await (const batch of pages) {
        if (stopped) break;
        await queue.push({ batch, index });
        if (stopped) break;
      }
    })().then(
      () => {
        if (--running === 0) queue.close();
      },
      (error: unknown) => queue.fail(error),
    );
  });
  try {
    for (;;) {
      const next = await queue.shift();
      if (!next) return;
      const page = budget.take(next.batch);
      if (!page) return;
      progress.taken(next.index, page);
      yield { ...page, shardId: `${next.index}/${page.shardId}` };
      if (budget.spent) return;
    }
  } finally {
    stopped = true;
    queue.close();
    onEnd();
  }
}

/** The session and its own shard id of a merged page's shard. */
function ownerOf(mergedShardId: string): { index: number; shardId: string } | undefined {
  const match = /^(\d+)\/(.+)$/s.exec(mergedShardId);
  return match ? { index: Number(match[1]), shardId: match[2]! } : undefined;
}
