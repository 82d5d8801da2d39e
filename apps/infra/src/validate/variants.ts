import os from 'node:os';
import path from 'node:path';

import { type DeploymentSettingsInput, loadDeploymentSettings } from '@prod-e/config';
import { prodDeploymentInput } from '@prod-e/config/testing';

import { buildApp } from '../app';
import type { TerraformJson } from '../policy';

const CERTIFICATE = 'arn:aws:acm:us-west-2:123456789012:certificate/abcd-1234';

/** One synthesized stack the offline plan proves. */
export interface Variant {
  readonly name: string;
  readonly description: string;
  synth(): TerraformJson;
}

function serviceStack(input: DeploymentSettingsInput): () => TerraformJson {
  return () =>
    buildApp(loadDeploymentSettings(input), {
      outdir: path.join(os.tmpdir(), 'prod-e-infra-unwritten'),
    }).service.toTerraform() as TerraformJson;
}

/** Every variant `infra:validate` plans: each environment, every optional setting, blue/green, bootstrap. */
export function validationVariants(): Variant[] {
  return [
    {
      name: 'prod',
      description: 'prod, committed settings',
      synth: serviceStack(prodDeploymentInput),
    },
    {
      name: 'staging',
      description: 'staging, committed settings',
      synth: serviceStack({ environment: 'staging' }),
    },
    {
      name: 'dev',
      description: 'dev with local state',
      synth: serviceStack({ environment: 'dev', stateBackend: 'local' }),
    },
    {
      name: 'full',
      description: 'every optional setting on',
      synth: serviceStack({
        ...prodDeploymentInput,
        accountId: '123456789012',
        accessLogsBucket: 'prod-e-alb-logs-123456789012',
        alarmEmail: 'oncall@example.com',
        certificateArn: CERTIFICATE,
        enableExecuteCommand: true,
        githubRepository: 'acme/prod-e',
        natGatewayPerAz: true,
      }),
    },
    {
      name: 'bluegreen',
      description: 'ECS-native blue/green',
      synth: serviceStack({ ...prodDeploymentInput, blueGreen: true, certificateArn: CERTIFICATE }),
    },
    {
      name: 'bootstrap',
      description: 'account bootstrap',
      synth: () =>
        buildApp(loadDeploymentSettings(prodDeploymentInput), {
          outdir: path.join(os.tmpdir(), 'prod-e-infra-unwritten'),
        }).bootstrap.toTerraform() as TerraformJson,
    },
  ];
}
