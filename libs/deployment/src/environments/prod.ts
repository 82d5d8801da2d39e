import type { CommittedSettings } from '../lib/environment-settings';

/**
 * prod: the base resource names, highly available by default (Multi-AZ database, one NAT
 * gateway per zone, WAF, deletion protection, a year of logs, HTTPS only). Before the first deploy, put your
 * AWS account and GitHub repository here: a laptop and CI both synthesize from this file.
 */
export const prod = {
  environment: 'prod',
  accountId: '123456789012',
  region: 'us-west-2',
  githubRepository: 'example-org/prod-e',
  githubBranch: 'main',
  stateBackend: 's3',
  // HTTPS without owning a domain (docs/adr/0012). With a Route 53 zone, switch to
  // { mode: 'domain', domainName, hostedZoneId }; with a certificate, { mode: 'certificate', certificateArn }.
  tls: { mode: 'cloudfront' },
} as const satisfies CommittedSettings;
