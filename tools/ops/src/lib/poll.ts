import { OpsError } from './errors';
import { type Clock } from './runtime';

/** Longest pause between attempts after transient errors (throttling, 5xx, resets). */
export const MAX_BACKOFF_MS = 30_000;
/** First pause after a transient error; it doubles with each one in a row. */
export const FIRST_BACKOFF_MS = 1_000;

export interface PollOptions {
  /** Absolute time (clock ms) when the wait gives up; Infinity waits until aborted. */
  deadline: number;
  /** Pause between attempts that did not finish the wait. */
  intervalMs: number;
  /** Told about each transient error and the pause before the next attempt. */
  onRetry?(error: OpsError, pauseMs: number): void;
}

export type PollOutcome<T> =
  | { kind: 'done'; value: T }
  | { kind: 'timeout'; lastError: OpsError | null }
  | { kind: 'aborted' };

/**
 * The one poll-until-deadline loop of ops: calls `attempt` until it returns a value, the deadline
 * passes or the signal aborts. A transient error (throttling, 5xx, a dropped connection) pauses
 * with exponential backoff, capped at MAX_BACKOFF_MS and at the deadline, then tries again; any
 * other error ends the wait by propagating. The SDK's own three attempts per call come first, so
 * a burst that outlasts them costs a pause, not the wait.
 */
export async function pollUntil<T>(
  clock: Clock,
  signal: AbortSignal,
  options: PollOptions,
  attempt: () => Promise<T | undefined>,
): Promise<PollOutcome<T>> {
  let backoff = FIRST_BACKOFF_MS;
  let lastError: OpsError | null;
  for (;;) {
    let pause = options.intervalMs;
    try {
      const value = await attempt();
      if (value !== undefined) return { kind: 'done', value };
      backoff = FIRST_BACKOFF_MS;
      lastError = null;
    } catch (error) {
      if (!(error instanceof OpsError && error.transient)) throw error;
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
