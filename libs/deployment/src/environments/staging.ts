import type { CommittedSettings } from '../lib/environment-settings';

/**
 * staging: prod's shape at a lower cost (single-AZ database, one NAT gateway, no WAF, 14-day
 * logs, destroyable; HTTPS through CloudFront, the default), in the same account, which shares one state bucket and one GitHub OIDC
 * provider with prod.
 */
export const staging = {
  environment: 'staging',
  accountId: '123456789012',
  region: 'us-west-2',
  githubRepository: 'example-org/prod-e',
  githubBranch: 'main',
  stateBackend: 's3',
} as const satisfies CommittedSettings;
