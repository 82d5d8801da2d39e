import { type Clock } from '@prod-e/cli-kit';

import { type AwsClients, createAwsClients } from './aws';
import { type Io } from './io';
import { type Target } from './settings';
import { terraformStackOutput } from './stack-output';

/** Everything a command needs from the outside world, injected so tests can replace it. */
export interface Runtime {
  readonly io: Io;
  readonly clock: Clock;
  readonly env: Record<string, string | undefined>;
  /** Aborted on Ctrl-C: long waits and `logs --follow` stop cleanly. */
  readonly signal: AbortSignal;
  aws(target: Target): AwsClients;
  /** An output of the environment's applied stack (`service_url`), when this checkout has it. */
  stackOutput(target: Target, name: string): Promise<string | undefined>;
}

/** Reads the output with terraform, in the stack directory `infra:deploy` applied. */
export function defaultStackOutput(target: Target, name: string): Promise<string | undefined> {
  return terraformStackOutput(target.names, name);
}

export function defaultAws(target: Target): AwsClients {
  return createAwsClients({
    region: target.region,
    profile: target.profile,
    callTimeoutMs: target.callTimeoutMs,
  });
}

export { type Clock, systemClock } from '@prod-e/cli-kit';
