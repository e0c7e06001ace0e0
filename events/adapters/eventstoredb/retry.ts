/** How the adapter waits between tries: resubscribing after a dropped subscription, resending a lost append. */
export interface RetryPolicy {
  /** The first wait, doubled on each further try. Default 100 ms. */
  readonly initialDelayMs: number;
  /** The longest wait. Default 5 s. */
  readonly maxDelayMs: number;
  /** Tries of one append, the first included, before it is reported unavailable. Default 5. */
  readonly appendAttempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = { initialDelayMs: 100, maxDelayMs: 5_000, appendAttempts: 5 };

/** The wait before retry number `attempt` (0 for the first retry). */
export function backoffDelay(attempt: number, policy: RetryPolicy = DEFAULT_RETRY): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(attempt, 30));
}

/** Resolves after `ms`, or as soon as `signal` aborts: closing the store must not wait out a backoff. */
export function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
