import { MINIMUM_TERRAFORM_VERSION } from '@prod-e/deployment';

import { DeliveryError, joinList } from './errors';
import type { Exec } from './exec';

/** Something a delivery step needs before it starts; `check` names it when it is missing. */
export interface Prerequisite {
  /** Resolves to undefined when present, else to a phrase: "<what is missing> (<why>: <fix>)". */
  check(): Promise<string | undefined>;
}

/** The docker CLI and a running engine: `docker info` talks to the daemon, `docker --version` does not. */
export function dockerEngine(exec: Exec): Prerequisite {
  return {
    async check() {
      const info = await exec('docker', ['info', '--format', '{{.ServerVersion}}']);
      if (info.notFound)
        return 'the docker CLI (not on PATH: install Docker Engine or Docker Desktop)';
      if (info.exitCode !== 0) {
        return 'a running Docker engine (`docker info` failed: start Docker, or point DOCKER_HOST at an engine)';
      }
      return undefined;
    },
  };
}

/** The terraform CLI, which applies the synthesized stack (cdktf only writes JSON). */
export function terraformCli(exec: Exec): Prerequisite {
  return {
    async check() {
      const version = await exec('terraform', ['version']);
      if (version.notFound)
        return `the terraform CLI (not on PATH: install Terraform ${MINIMUM_TERRAFORM_VERSION} or newer)`;
      if (version.exitCode !== 0) return 'a working terraform CLI (`terraform version` failed)';
      return undefined;
    },
  };
}

/**
 * AWS credentials from the SDK's default provider chain (environment, SSO/profile files, web
 * identity as in GitHub OIDC, container and instance roles). `resolve` is an SDK client's
 * `config.credentials`, so the check sees exactly what the SDK calls will use.
 */
export function awsCredentials(resolve: () => Promise<unknown>): Prerequisite {
  return {
    async check() {
      try {
        await resolve();
        return undefined;
      } catch {
        return (
          'AWS credentials (none found by the SDK provider chain: set AWS_PROFILE, run ' +
          '`aws sso login`, or assume the deploy role through GitHub OIDC in CI)'
        );
      }
    },
  };
}

/**
 * Runs every check, then fails once, naming everything that is missing in one sentence, so a
 * fresh machine learns all it needs in one run.
 */
export async function requirePrerequisites(
  action: string,
  prerequisites: readonly Prerequisite[],
): Promise<void> {
  const results = await Promise.all(prerequisites.map((prerequisite) => prerequisite.check()));
  const missing = results.filter((problem): problem is string => problem !== undefined);
  if (missing.length > 0)
    throw new DeliveryError(`Cannot ${action}: missing ${joinList(missing)}.`);
}
