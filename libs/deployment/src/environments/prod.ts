import type { CommittedSettings } from '../lib/environment-settings';

/**
 * prod: the base resource names, highly available by default (Multi-AZ database, one NAT
 * gateway per zone, WAF, deletion protection, a year of logs). Before the first deploy, put your
 * AWS account and GitHub repository here: a laptop and CI both synthesize from this file.
 */
export const prod = {
  environment: 'prod',
  accountId: '123456789012',
  region: 'us-west-2',
  githubRepository: 'example-org/prod-e',
  githubBranch: 'main',
  stateBackend: 's3',
} as const satisfies CommittedSettings;
