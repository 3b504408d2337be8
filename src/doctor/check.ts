/** One line of `ddbstream doctor`: what was checked, what was found, what to do about it. */
export interface CheckResult {
  /** Short and fixed, e.g. "region": also the key in --json. */
  name: string;
  /** `note` is information that needs no action; `skip` a check that an earlier failure made pointless. */
  status: 'ok' | 'fail' | 'note' | 'skip';
  detail: string;
  /** What to do, for a failure or a note. */
  advice?: string;
  /** Reading a stream needs this check to pass: a failure makes doctor exit 1. */
  required: boolean;
}

/** No check may keep the user waiting longer than this, network or not. */
export const CHECK_BOUND_MS = 3_000;

/** The check ran out of its time. */
export class CheckTimeoutError extends Error {
  override readonly name = 'CheckTimeoutError';
  constructor(readonly ms: number) {
    super(`no answer within ${ms / 1000} s`);
  }
}

/**
 * Runs `work` with an abort signal and gives up after `ms`. The race matters as much as the
 * signal: not every step of the SDK (resolving credentials, for one) listens to it.
 */
export async function withinBound<T>(work: (signal: AbortSignal) => Promise<T>, ms = CHECK_BOUND_MS): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new CheckTimeoutError(ms);
      controller.abort(error);
      reject(error);
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
