import { dev } from '../environments/dev';
import { prod } from '../environments/prod';
import { staging } from '../environments/staging';
import { ConfigError } from '@prod-e/api-config';
import {
  type DeploymentSettings,
  type DeploymentSettingsInput,
  loadDeploymentSettings,
  NON_SETTING_VARIABLES,
} from './deployment-settings';
import { PRIMARY_ENVIRONMENT } from './resource-names';

/** One environment's committed settings: everything but what changes per deploy. */
export type CommittedSettings = Omit<DeploymentSettingsInput, 'imageTag'> & {
  readonly environment: string;
};

/** Every environment, as committed in libs/deployment/src/environments/<name>.ts. */
export const COMMITTED_ENVIRONMENTS: Readonly<Record<string, CommittedSettings>> = {
  prod,
  staging,
  dev,
};

/** Selects the committed environment (`prod` when unset). */
export const ENVIRONMENT_VARIABLE = 'PROD_E_ENVIRONMENT';
/** The one setting a deploy may change: which image to run. */
export const IMAGE_TAG_VARIABLE = 'PROD_E_IMAGE_TAG';

/** Where an environment's settings are committed, relative to the repository root. */
export function committedSettingsFile(environment: string): string {
  return `libs/deployment/src/environments/${environment}.ts`;
}

/**
 * The committed input for an environment.
 * @throws ConfigError when no environment of that name is committed
 */
export function committedSettingsInput(environment: string): CommittedSettings {
  const committed = COMMITTED_ENVIRONMENTS[environment];
  if (!committed) {
    throw new ConfigError('deployment settings', [
      {
        key: 'environment',
        message: `"${environment}" is not committed: add ${committedSettingsFile(environment)} (one of ${Object.keys(COMMITTED_ENVIRONMENTS).join(', ')})`,
      },
    ]);
  }
  return committed;
}

/**
 * Settings for a synth or a deploy: the committed environment named by PROD_E_ENVIRONMENT, with
 * PROD_E_IMAGE_TAG (or `imageTag`) as the only override. Any other `PROD_E_*` variable is refused,
 * so a shell variable can never make a laptop's stack differ from CI's.
 * @throws ConfigError naming every bad variable or setting
 */
export function deploymentSettingsFromEnv(
  env: Record<string, string | undefined>,
  defaults: { imageTag?: string } = {},
): DeploymentSettings {
  const environment = env[ENVIRONMENT_VARIABLE] || PRIMARY_ENVIRONMENT;
  const refused = Object.keys(env)
    .filter((name) => name.startsWith('PROD_E_') && env[name] !== undefined)
    .filter(
      (name) =>
        name !== ENVIRONMENT_VARIABLE &&
        name !== IMAGE_TAG_VARIABLE &&
        !NON_SETTING_VARIABLES.includes(name),
    )
    .sort()
    .map((key) => ({
      key,
      message: `is not read: settings are committed in ${committedSettingsFile(environment)}; only ${IMAGE_TAG_VARIABLE} changes per deploy`,
    }));
  if (refused.length) throw new ConfigError('deployment settings', refused);
  const imageTag = env[IMAGE_TAG_VARIABLE] || defaults.imageTag;
  return loadDeploymentSettings({ ...committedSettingsInput(environment), imageTag });
}
