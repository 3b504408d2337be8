import { asLeaseFailure } from './errors.js';

/** Rounds in a row that may fail (throttling, a lost connection) before the worker gives up. */
const MAX_FAILED_ROUNDS = 6;

/**
 * A worker's rounds, one at a time: a round asked for while one runs runs once more after it.
 * A table that is not a lease table fails at once; a round the service did not answer is tried
 * again next round, and only a run of them stops the worker (its leases lapse meanwhile).
 */
export class Rounds {
  private running: Promise<void> | undefined;
  private again = false;
  private failed = 0;

  constructor(
    private readonly round: () => Promise<void>,
    private readonly mayRun: () => boolean,
    private readonly fail: (error: unknown) => void,
  ) {}

  request(): void {
    if (!this.mayRun()) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.round();
      } while (this.again && this.mayRun());
    })().then(() => {
      this.failed = 0;
    }, (error: unknown) => {
      if (asLeaseFailure(error) || ++this.failed >= MAX_FAILED_ROUNDS) this.fail(error);
    }).finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves once the round under way (if any) is over, however it ended. */
  async settled(): Promise<void> {
    await this.running?.catch(() => undefined);
  }
}
