import { mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { CliError, findOnPath, meetsMinimum, runCli, terraformVersionSync } from '@prod-e/cli-kit';
import { MINIMUM_TERRAFORM_VERSION } from '@prod-e/deployment';

import { startFakeAws } from '../validate/fake-aws';
import { offlinePlan, OfflinePlanError, type OfflinePlanResult } from '../validate/offline-plan';
import {
  findProviderMirror,
  PROVIDER_MIRROR_VARIABLE,
  writeMirrorCliConfig,
} from '../validate/provider-mirror';
import { validationVariants } from '../validate/variants';

export interface ValidationSetup {
  readonly terraform: string;
  readonly cliConfigFile: string;
  readonly providerVersion: string;
  readonly workDir: string;
}

/** What the offline plan needs, or the sentence saying why it cannot run here. */
export function validationSetup(
  env: Record<string, string | undefined> = process.env,
): ValidationSetup | { skip: string } {
  const terraform = findOnPath('terraform', env);
  if (!terraform) return { skip: 'terraform is not on PATH: skipping the offline plan.' };
  const version = terraformVersionSync(terraform);
  if (!version || !meetsMinimum(version, MINIMUM_TERRAFORM_VERSION)) {
    return {
      skip: `terraform ${version ?? '(unknown version)'} at ${terraform} is older than ${MINIMUM_TERRAFORM_VERSION}: skipping the offline plan.`,
    };
  }
  const mirror = findProviderMirror(env);
  if (!mirror) {
    return {
      skip: `no offline AWS provider mirror: set ${PROVIDER_MIRROR_VARIABLE} to the folder holding registry.terraform.io (or TF_CLI_CONFIG_FILE to a config with a filesystem_mirror): skipping the offline plan.`,
    };
  }
  const workDir = path.join(os.tmpdir(), `prod-e-infra-validate-${process.pid}`);
  mkdirSync(workDir, { recursive: true });
  return {
    terraform,
    providerVersion: mirror.awsVersion,
    cliConfigFile: writeMirrorCliConfig(mirror, path.join(workDir, 'mirror.tfrc')),
    workDir,
  };
}

export function formatResult(result: OfflinePlanResult): string {
  const { add, change, destroy, byType } = result.counts;
  const lines = [
    `✓ ${result.variant}: valid; plan ${add} to add, ${change} to change, ${destroy} to destroy (${Object.keys(byType).length} resource types)`,
    ...result.leftOut.map((line) => `    adapted: ${line}`),
    ...result.warnings.map((line) => `    warning: ${line}`),
  ];
  return lines.join('\n');
}

/** `nx run infra:validate`: every variant through init, validate and an offline plan. */
export async function main(env = process.env): Promise<number> {
  const setup = validationSetup(env);
  if ('skip' in setup) {
    process.stdout.write(`${setup.skip}\n`);
    return 0;
  }
  process.stdout.write(
    `Offline plan with ${setup.terraform}, hashicorp/aws ${setup.providerVersion} from the mirror\n`,
  );
  const fakeAws = await startFakeAws();
  try {
    for (const variant of validationVariants()) {
      const result = await offlinePlan(variant.name, variant.synth(), { ...setup, fakeAws });
      process.stdout.write(`${formatResult(result)}\n`);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof OfflinePlanError)) throw error;
    throw new CliError(error.message, { cause: error });
  } finally {
    await fakeAws.close();
    rmSync(setup.workDir, { recursive: true, force: true });
  }
}

if (require.main === module) void runCli('infra:validate', () => main());
