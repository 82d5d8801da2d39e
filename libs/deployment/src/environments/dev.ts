import type { CommittedSettings } from '../lib/environment-settings';

/**
 * dev: trying things out from a laptop: state in a gitignored local file, no CI deploy role. It
 * still needs the account bootstrap (its image repository and permissions boundary).
 */
export const dev = {
  environment: 'dev',
  accountId: '123456789012',
  region: 'us-west-2',
  stateBackend: 'local',
  // Plain HTTP, said so on purpose: a throwaway stack up in minutes, no distribution to wait for.
  tls: { mode: 'http' },
} as const satisfies CommittedSettings;
