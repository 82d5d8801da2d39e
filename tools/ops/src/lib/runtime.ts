import { type AwsClients, createAwsClients } from './aws';
import { type Io } from './io';
import { type Target } from './settings';

/** Time as commands see it; tests pass a virtual clock so waits take no real time. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
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

/** Everything a command needs from the outside world, injected so tests can replace it. */
export interface Runtime {
  readonly io: Io;
  readonly clock: Clock;
  readonly env: Record<string, string | undefined>;
  /** Aborted on Ctrl-C: long waits and `logs --follow` stop cleanly. */
  readonly signal: AbortSignal;
  aws(target: Target): AwsClients;
}

export function defaultAws(target: Target): AwsClients {
  return createAwsClients({
    region: target.region,
    profile: target.profile,
    callTimeoutMs: target.callTimeoutMs,
  });
}
