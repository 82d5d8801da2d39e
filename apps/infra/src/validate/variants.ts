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
 * Every variant `infra:validate` plans: each committed environment, every optional setting on,
 * blue/green, and the account bootstrap.
 */
export function validationVariants(): Variant[] {
  return [
    { name: 'prod', description: 'committed prod', synth: serviceStack(prod) },
    { name: 'staging', description: 'committed staging', synth: serviceStack(staging) },
    { name: 'dev', description: 'committed dev (local state)', synth: serviceStack(dev) },
    {
      name: 'full',
      description: 'prod with every optional setting on',
      synth: serviceStack({
        ...prod,
        accessLogsBucket: 'prod-e-alb-logs-123456789012',
        alarmEmail: 'oncall@example.com',
        certificateArn: CERTIFICATE,
        enableExecuteCommand: true,
      }),
    },
    {
      name: 'bluegreen',
      description: 'prod with ECS-native blue/green',
      synth: serviceStack({ ...prod, blueGreen: true, certificateArn: CERTIFICATE }),
    },
    {
      name: 'bootstrap',
      description: 'the account bootstrap of prod (and staging, same account)',
      synth: () => built(prod).bootstrap.toTerraform() as TerraformJson,
    },
  ];
}
