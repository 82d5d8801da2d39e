import { CliError } from '@prod-e/cli-kit';
import {
  type DeploymentSettings,
  deploymentSettingsFromEnv,
  ENVIRONMENT_VARIABLE,
  IMAGE_TAG_VARIABLE,
  PRIMARY_ENVIRONMENT,
  resourceNames,
} from '@prod-e/deployment';

import type { Exec } from './exec';

/** Suffix of a tag built from a work tree with uncommitted changes: its SHA does not describe it. */
export const DIRTY_SUFFIX = '-dirty';

/**
 * The image tag every delivery step uses: `PROD_E_IMAGE_TAG` when set (CI passes the commit it
 * checked out), else the git commit SHA, marked `-dirty` when the work tree has changes. Because
 * container, push and deploy each derive it the same way, they agree without passing files around.
 */
export async function resolveImageTag(
  env: NodeJS.ProcessEnv,
  exec: Exec,
  cwd: string,
): Promise<string> {
  const explicit = env[IMAGE_TAG_VARIABLE]?.trim();
  if (explicit) return explicit;
  const head = await exec('git', ['rev-parse', 'HEAD'], { cwd });
  if (head.exitCode !== 0) {
    throw new CliError(
      'Cannot tag the image: no git commit found (`git rev-parse HEAD` failed); run inside the ' +
        'repository with at least one commit, or set PROD_E_IMAGE_TAG.',
    );
  }
  const status = await exec('git', ['status', '--porcelain'], { cwd });
  const dirty = status.exitCode !== 0 || status.stdout.trim() !== '';
  return `${head.stdout.trim()}${dirty ? DIRTY_SUFFIX : ''}`;
}

/**
 * Deployment settings for one environment with the given tag, read exactly as the infra's synth
 * reads them (`deploymentSettingsFromEnv`): the committed environment, the tag as the only
 * override, any other `PROD_E_*` variable refused. So the region the image is pushed to is the
 * region the stack deploys to, and `latest` for prod or a malformed tag fails here first.
 * @throws ConfigError naming every bad variable or setting
 */
export function deliverySettings(
  env: NodeJS.ProcessEnv,
  environment: string,
  imageTag: string,
): DeploymentSettings {
  return deploymentSettingsFromEnv({
    ...env,
    [ENVIRONMENT_VARIABLE]: environment,
    [IMAGE_TAG_VARIABLE]: imageTag,
  });
}

/**
 * A tag may be released (pushed, deployed) to the primary environment only if it names a commit:
 * not `latest` (the settings loader refuses it) and not a `-dirty` build of uncommitted changes.
 */
export function assertReleasable(settings: DeploymentSettings): void {
  if (settings.environment === PRIMARY_ENVIRONMENT && settings.imageTag.endsWith(DIRTY_SUFFIX)) {
    throw new CliError(
      `Refusing to release ${settings.imageTag} to ${PRIMARY_ENVIRONMENT}: it was built from ` +
        'uncommitted changes; commit them (or set PROD_E_IMAGE_TAG to a commit SHA) and rebuild.',
    );
  }
}

/** `prod-e-backend:<tag>`: the local name, which is the ECR repository's name for the environment. */
export function localImage(environment: string, tag: string): string {
  return `${resourceNames(environment).ecrRepository}:${tag}`;
}

/** `<account>.dkr.ecr.<region>.amazonaws.com/prod-e-backend:<tag>`. */
export function registryImage(registry: string, environment: string, tag: string): string {
  return `${registry}/${localImage(environment, tag)}`;
}
