import { cliProgram } from '@prod-e/cli-kit';
import { ENVIRONMENT_VARIABLE, PRIMARY_ENVIRONMENT } from '@prod-e/deployment';

export interface DeliveryOptions {
  readonly env: string;
  readonly skipVerify: boolean;
  /** Push the local image of the tag (e.g. `docker image load`ed) instead of building it. */
  readonly prebuilt?: boolean;
}

/**
 * The options of the release scripts. They are one set because `infra:deploy` runs the push,
 * and the push the container build, with the options it was given; `--skip-verify` only changes
 * what `deploy` does.
 */
export function parseDeliveryOptions(
  name: string,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): DeliveryOptions {
  const program = cliProgram(name)
    // Not `--env`: Nx's run-commands owns that option name and rejects any other use of it.
    .option(
      '--environment <name>',
      'environment to build for, push to or deploy',
      env[ENVIRONMENT_VARIABLE] || PRIMARY_ENVIRONMENT,
    )
    .option('--skip-verify', 'deploy only: do not run `prod-e verify` after terraform apply', false)
    .option(
      '--prebuilt',
      'push and deploy: push the local image of the tag as it is, never build it (CI loads it from the build job)',
      false,
    );
  program.parse([...argv], { from: 'user' });
  const options = program.opts<{ environment: string; skipVerify: boolean; prebuilt: boolean }>();
  return { env: options.environment, skipVerify: options.skipVerify, prebuilt: options.prebuilt };
}
