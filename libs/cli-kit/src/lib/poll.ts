/**
 * Time as a CLI sees it; tests pass a virtual clock so waits take no real time. Functions, not
 * methods: `clock.now` is handed on unbound.
 */
export interface Clock {
  readonly now: () => number;
  /** Resolves after `ms`, or at once when `signal` aborts. */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/** Longest pause between attempts after transient errors (throttling, 5xx, resets). */
export const MAX_BACKOFF_MS = 30_000;
/** First pause after a transient error; it doubles with each one in a row. */
export const FIRST_BACKOFF_MS = 1_000;

export interface PollOptions<E extends Error> {
  /** Absolute time (clock ms) when the wait gives up; Infinity waits until aborted. */
  readonly deadline: number;
  /** Pause between attempts that did not finish the wait. */
  readonly intervalMs: number;
  /** Errors worth another attempt after a pause; any other error ends the wait by propagating. */
  transient(error: unknown): error is E;
  /** Told about each transient error and the pause before the next attempt. */
  onRetry?(error: E, pauseMs: number): void;
}

export type PollOutcome<T, E extends Error = Error> =
  { kind: 'done'; value: T } | { kind: 'timeout'; lastError: E | null } | { kind: 'aborted' };

/**
 * The one poll-until-deadline loop: calls `attempt` until it returns a value, the deadline passes
 * or the signal aborts. A transient error pauses with exponential backoff, capped at
 * MAX_BACKOFF_MS and at the deadline, then tries again.
 */
export async function pollUntil<T, E extends Error>(
  clock: Clock,
  signal: AbortSignal,
  options: PollOptions<E>,
  attempt: () => Promise<T | undefined>,
): Promise<PollOutcome<T, E>> {
  let backoff = FIRST_BACKOFF_MS;
  let lastError: E | null;
  for (;;) {
    let pause = options.intervalMs;
    try {
      const value = await attempt();
      if (value !== undefined) return { kind: 'done', value };
      backoff = FIRST_BACKOFF_MS;
      lastError = null;
    } catch (error) {
      if (!options.transient(error)) throw error;
      lastError = error;
      pause = Math.max(backoff, options.intervalMs);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      options.onRetry?.(error, Math.min(pause, Math.max(0, options.deadline - clock.now())));
    }
    if (signal.aborted) return { kind: 'aborted' };
    const remaining = options.deadline - clock.now();
    if (remaining <= 0) return { kind: 'timeout', lastError };
    await clock.sleep(Math.min(pause, remaining), signal);
    if (signal.aborted) return { kind: 'aborted' };
  }
}
