import type { ECRClient } from '@aws-sdk/client-ecr';

import { ecrClient } from './ecr';
import { exec, type Exec } from './exec';
import { WORKSPACE_ROOT } from './paths';

/** What the delivery commands touch outside themselves; tests pass fakes. */
export interface DeliveryContext {
  readonly exec: Exec;
  readonly env: NodeJS.ProcessEnv;
  /** The workspace root: git, docker build context, nx and terraform run from here. */
  readonly root: string;
  /** Progress for people, on stderr (stdout stays for results). */
  readonly log: (line: string) => void;
  readonly ecrClient: (region: string) => ECRClient;
}

export function processContext(): DeliveryContext {
  return {
    exec,
    env: process.env,
    root: WORKSPACE_ROOT,
    log: (line) => process.stderr.write(`${line}\n`),
    ecrClient,
  };
}
