import { type Clock } from '@prod-e/cli-kit';

import { type AwsClients, createAwsClients } from './aws';
import { type Io } from './io';
import { type Target } from './settings';

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

export { type Clock, systemClock } from '@prod-e/cli-kit';
