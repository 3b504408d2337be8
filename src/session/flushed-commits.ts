import type { LineSink } from '../io/output.js';
import { commitMark, type CommitMark } from '../stream/select-records.js';
import type { ReadingSession } from './reading-session.js';

/**
 * Pages written but not yet out of the process. The checkpoint passes a page only once its text
 * has left (into the pipe, terminal or file): text still buffered here is lost if the process
 * has to exit before a stalled reader takes it, and those records must be read again next time.
 */
export class FlushedCommits {
  private readonly pending: { mark: CommitMark; write: number }[] = [];

  constructor(
    private readonly session: Pick<ReadingSession, 'commit'>,
    private readonly sink: Pick<LineSink, 'writeCount' | 'flushedCount'>,
  ) {}

  /**
   * The page of `batch` went out in write number `write`. Without one (a page with nothing to write), it is
   * done once everything written before it is.
   */
  written(batch: CommitMark, write: number = this.sink.writeCount): void {
    // Only the mark is kept: a page's records are not held until the pipe takes its text.
    this.pending.push({ mark: commitMark(batch), write });
  }

  /** Move the checkpoint past every page whose text has left, in order. */
  async commit(): Promise<void> {
    while (this.pending.length && this.pending[0]!.write <= this.sink.flushedCount) {
      await this.session.commit(this.pending.shift()!.mark);
    }
  }
}
