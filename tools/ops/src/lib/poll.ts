import { type Clock, pollUntil as pollUntilDeadline, type PollOutcome } from '@prod-e/cli-kit';

import { OpsError } from './errors';
import { type Progress } from './io';
import { type Runtime } from './runtime';

export { FIRST_BACKOFF_MS, MAX_BACKOFF_MS } from '@prod-e/cli-kit';

export interface PollOptions {
  /** Absolute time (clock ms) when the wait gives up; Infinity waits until aborted. */
  deadline: number;
  /** Pause between attempts that did not finish the wait. */
  intervalMs: number;
  /** Told about each transient error and the pause before the next attempt. */
  onRetry?(error: OpsError, pauseMs: number): void;
}

/** Throttling, 5xx answers and dropped connections: worth another attempt inside a wait. */
const isTransient = (error: unknown): error is OpsError =>
  error instanceof OpsError && error.transient;

/**
 * The toolkit's poll-until-deadline loop with ops' notion of a transient error. The SDK's own
 * three attempts per call come first, so a burst that outlasts them costs a pause, not the wait.
 */
export function pollUntil<T>(
  clock: Clock,
  signal: AbortSignal,
  options: PollOptions,
  attempt: () => Promise<T | undefined>,
): Promise<PollOutcome<T, OpsError>> {
  return pollUntilDeadline(clock, signal, { ...options, transient: isTransient }, attempt);
}

/**
 * A wait shown on a progress line: transient errors and the pause before the next attempt
 * appear there; Ctrl-C fails the line and throws INTERRUPTED with `interrupted` (what keeps
 * running). Resolves when `attempt` answers, or to the timeout with the last transient error.
 */
export async function waitWithProgress<T>(
  runtime: Runtime,
  progress: Progress,
  options: { deadline: number; intervalMs: number; interrupted: OpsError },
  attempt: () => Promise<T | undefined>,
): Promise<Exclude<PollOutcome<T, OpsError>, { kind: 'aborted' }>> {
  const outcome = await pollUntil(
    runtime.clock,
    runtime.signal,
    {
      deadline: options.deadline,
      intervalMs: options.intervalMs,
      onRetry: (error, pauseMs) =>
        progress.update(`${error.message} Retrying in ${Math.ceil(pauseMs / 1000)} s...`),
    },
    attempt,
  );
  if (outcome.kind === 'aborted') {
    progress.fail('Interrupted.');
    throw options.interrupted;
  }
  return outcome;
}
