import os from 'node:os';
import path from 'node:path';

import {
  COMMITTED_ENVIRONMENTS,
  type DeploymentSettingsInput,
  loadDeploymentSettings,
} from '@prod-e/deployment';
import { TEST_IMAGE_TAG } from '@prod-e/deployment/testing';

import { buildApp } from '../app';
import type { TerraformJson } from '../policy';

const CERTIFICATE = 'arn:aws:acm:us-west-2:123456789012:certificate/abcd-1234';

/** Each TLS mode's settings, as an environment would commit them. */
export const TLS_VARIANTS = {
  domain: { mode: 'domain', domainName: 'api.example.com', hostedZoneId: 'Z0123456789EXAMPLE' },
  certificate: { mode: 'certificate', certificateArn: CERTIFICATE, domainName: 'api.example.com' },
  cloudfront: { mode: 'cloudfront' },
} as const satisfies Record<string, DeploymentSettingsInput['tls']>;
const OUTDIR = path.join(os.tmpdir(), 'prod-e-infra-unwritten');

/** One synthesized stack the offline plan proves. */
export interface Variant {
  readonly name: string;
  readonly description: string;
  synth(): TerraformJson;
}

function built(input: DeploymentSettingsInput) {
  return buildApp(loadDeploymentSettings({ imageTag: TEST_IMAGE_TAG, ...input }), {
    outdir: OUTDIR,
  });
}

const serviceStack = (input: DeploymentSettingsInput) => () =>
  built(input).service.toTerraform() as TerraformJson;

const { prod, staging, dev } = COMMITTED_ENVIRONMENTS;

/**
 * Every variant `infra:validate` plans: each committed environment, prod under each TLS mode,
 * every optional setting on, blue/green, and the account bootstrap.
 */
export function validationVariants(): Variant[] {
  return [
    { name: 'prod', description: 'committed prod', synth: serviceStack(prod) },
    { name: 'staging', description: 'committed staging', synth: serviceStack(staging) },
    {
      name: 'dev',
      description: 'committed dev (local state, plain HTTP)',
      synth: serviceStack(dev),
    },
    ...Object.entries(TLS_VARIANTS).map(([mode, tls]) => ({
      name: `tls-${mode}`,
      description: `prod with TLS mode ${mode}`,
      synth: serviceStack({ ...prod, tls }),
    })),
    {
      name: 'full',
      description: 'prod with every optional setting on',
      synth: serviceStack({
        ...prod,
        accessLogsBucket: 'prod-e-alb-logs-123456789012',
        alarmEmail: 'oncall@example.com',
        tls: TLS_VARIANTS.domain,
        enableExecuteCommand: true,
        metricsScrapeCidrs: ['10.0.10.0/24', '10.0.11.0/24'],
      }),
    },
    {
      name: 'bluegreen',
      description: 'prod with ECS-native blue/green',
      synth: serviceStack({ ...prod, blueGreen: true, tls: TLS_VARIANTS.certificate }),
    },
    {
      name: 'bootstrap',
      description: 'the account bootstrap of prod (and staging, same account)',
      synth: () => built(prod).bootstrap.toTerraform() as TerraformJson,
    },
  ];
}
