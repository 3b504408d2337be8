import type { CheckpointSink } from './engine-types.js';

/**
 * Checkpoint saves one at a time: a request while one runs becomes one more save after it, so
 * a burst of finished batches costs two writes, not one per batch.
 */
export class SaveQueue {
  private running: Promise<void> | undefined;
  private wanted = false;

  constructor(private readonly checkpoint: CheckpointSink, private readonly onError: (error: unknown) => void) {}

  request(): void {
    this.wanted = true;
    if (this.running) return;
    this.running = (async () => {
      try {
        while (this.wanted) {
          this.wanted = false;
          await this.checkpoint.save();
        }
      } catch (error) {
        this.onError(error);
      } finally {
        this.running = undefined;
      }
    })();
  }

  async flush(): Promise<void> {
    while (this.running) await this.running;
  }
}
