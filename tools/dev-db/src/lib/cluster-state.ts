import { readFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join } from 'node:path';

import { CliError } from '@prod-e/cli-kit';

/**
 * The "Database cluster state" that `pg_controldata` prints, read from `global/pg_control`
 * (the package ships no pg_controldata). The field is the C enum `DBState` right after the
 * 8-byte system identifier and two 4-byte version numbers, in the machine's byte order.
 */
export const CLUSTER_STATES = [
  'starting up',
  'shut down',
  'shut down in recovery',
  'shutting down',
  'in crash recovery',
  'in archive recovery',
  'in production',
] as const;

export type ClusterState = (typeof CLUSTER_STATES)[number];

const STATE_OFFSET = 16;

/** The cluster's state, or undefined when `dataDir` holds no initialised cluster. */
export async function readClusterState(dataDir: string): Promise<ClusterState | undefined> {
  const control = await readFile(join(dataDir, 'global', 'pg_control')).catch(() => undefined);
  if (!control || control.length < STATE_OFFSET + 4) return undefined;
  const raw =
    endianness() === 'LE' ? control.readUInt32LE(STATE_OFFSET) : control.readUInt32BE(STATE_OFFSET);
  const state = CLUSTER_STATES[raw];
  if (!state) throw new CliError(`dev-db: unknown cluster state in ${dataDir}/global/pg_control`);
  return state;
}

/** True when the last server on `dataDir` stopped without a clean shutdown (crash, SIGKILL). */
export function needsCrashRecovery(state: ClusterState | undefined): boolean {
  return state === 'in production' || state === 'in crash recovery' || state === 'shutting down';
}
