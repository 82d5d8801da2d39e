import { execFileSync } from 'node:child_process';

import { ConfigError } from '@prod-e/api-config';
import {
  type DeploymentSettings,
  deploymentSettingsFromEnv,
  ENVIRONMENT_VARIABLE,
  PRIMARY_ENVIRONMENT,
} from '@prod-e/deployment';

/** The checkout's commit: prod's default image tag, so a synth never points at `latest`. */
export function gitSha(cwd = process.cwd()): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

/**
 * Settings for a synth: the committed settings of PROD_E_ENVIRONMENT (prod when unset) with
 * PROD_E_IMAGE_TAG. When the tag is unset and the environment is prod, it defaults to the current
 * git SHA (what CI pushes).
 * @throws ConfigError naming every bad key or refused variable
 */
export function settingsFromEnv(
  env: Record<string, string | undefined> = process.env,
  sha: () => string | undefined = gitSha,
): DeploymentSettings {
  const primary = (env[ENVIRONMENT_VARIABLE] || PRIMARY_ENVIRONMENT) === PRIMARY_ENVIRONMENT;
  return deploymentSettingsFromEnv(env, { imageTag: primary ? sha() : undefined });
}

export { ConfigError };
