import { execFileSync } from 'node:child_process';

import {
  ConfigError,
  type DeploymentSettings,
  deploymentInputFromEnv,
  loadDeploymentSettings,
  PRIMARY_ENVIRONMENT,
} from '@prod-e/config';

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
 * Settings for a synth from `PROD_E_*` variables. When PROD_E_IMAGE_TAG is unset and the
 * environment is prod, the tag defaults to the current git SHA (what CI pushes).
 * @throws ConfigError naming every bad key
 */
export function settingsFromEnv(
  env: Record<string, string | undefined> = process.env,
  sha: () => string | undefined = gitSha,
): DeploymentSettings {
  const input = deploymentInputFromEnv(env);
  if (
    input.imageTag === undefined &&
    (input.environment ?? PRIMARY_ENVIRONMENT) === PRIMARY_ENVIRONMENT
  ) {
    const commit = sha();
    if (commit) input.imageTag = commit;
  }
  return loadDeploymentSettings(input);
}

export { ConfigError };
