import { sleep } from '../util/sleep.js';
import { GaveUpRetryingError } from './errors.js';
import type { RetryKind } from './types.js';

const THROTTLING = new Set([
  'LimitExceededException', 'ThrottlingException', 'ProvisionedThroughputExceededException',
  'RequestLimitExceeded', 'TooManyRequestsException',
]);
const SERVER = new Set(['InternalServerError', 'InternalFailure', 'ServiceUnavailable', 'ServiceUnavailableException']);
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED', 'UND_ERR_SOCKET']);

/** Which failures are worth waiting out; anything else goes straight to the caller. */
export function classifyRetryable(error: unknown): RetryKind | undefined {
  if (!(error instanceof Error)) return undefined;
  const e = error as Error & { code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  if (e.name === 'AbortError') return undefined;
  if (THROTTLING.has(e.name)) return 'throttled';
  const status = e.$metadata?.httpStatusCode;
  if (SERVER.has(e.name) || (status !== undefined && status >= 500)) return 'server-error';
  const code = e.code ?? (e.cause as { code?: string } | undefined)?.code;
  if ((code && NETWORK.has(code)) || e.name === 'TimeoutError' || /socket hang up|ECONNRESET|ECONNREFUSED/.test(e.message)) {
    return 'unreachable';
  }
  return undefined;
}

export interface RetryPolicy {
  baseMs: number;
  maxDelayMs: number;
  /** Give up when failures have lasted this long without a success (Infinity: never, for tail). */
  giveUpAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 100, maxDelayMs: 5_000, giveUpAfterMs: 60_000 };

/** Exponential backoff with full jitter (AWS architecture blog's recommendation). */
export function backoffDelay(attempt: number, policy: RetryPolicy, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseMs * 2 ** Math.min(attempt, 20));
  return Math.max(policy.baseMs / 2, Math.floor(random() * ceiling));
}

export interface RetryHooks {
  onBackoff?: (reason: string, delayMs: number, attempt: number) => void;
  onRecovered?: () => void;
}

/**
 * Run `call`, waiting out throttling, 5xx and connection failures with backoff until the policy
 * gives up. Returns undefined when the signal aborted while waiting.
 */
export async function withRetry<T>(
  call: () => Promise<T>,
  policy: RetryPolicy,
  hooks: RetryHooks,
  signal?: AbortSignal,
): Promise<T | undefined> {
  let attempt = 0;
  let failingSince: number | undefined;
  for (;;) {
    try {
      const result = await call();
      if (attempt > 0) hooks.onRecovered?.();
      return result;
    } catch (error) {
      if (signal?.aborted) return undefined;
      const kind = classifyRetryable(error);
      if (!kind) throw error;
      failingSince ??= Date.now();
      if (Date.now() - failingSince >= policy.giveUpAfterMs) {
        throw new GaveUpRetryingError(kind, policy.giveUpAfterMs, { cause: error });
      }
      // Never sleep past the give-up time: the last attempt comes when it is due, not seconds later.
      const delay = Math.min(backoffDelay(attempt, policy), Math.max(0, failingSince + policy.giveUpAfterMs - Date.now()));
      attempt++;
      hooks.onBackoff?.(`${kind}: ${(error as Error).name === 'Error' ? (error as Error).message : (error as Error).name}`, delay, attempt);
      await sleep(delay, signal);
      if (signal?.aborted) return undefined;
    }
  }
}
