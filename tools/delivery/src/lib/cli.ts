import { ConfigError } from '@prod-e/api-config';
import { Command } from 'commander';

import { DeliveryError } from './errors';

/** The environment name used when neither `--env` nor PROD_E_ENVIRONMENT says otherwise. */
export const DEFAULT_ENVIRONMENT = 'prod';

export interface DeliveryOptions {
  readonly env: string;
  readonly skipVerify: boolean;
  /** Push the local image of the tag (e.g. `docker image load`ed) instead of building it. */
  readonly prebuilt?: boolean;
}

/**
 * The options of every delivery script. They are one set because `infra:deploy` runs the push,
 * and the push the container build, with the options it was given; `--skip-verify` only changes
 * what `deploy` does.
 */
export function parseDeliveryOptions(
  name: string,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): DeliveryOptions {
  const program = new Command(name)
    // Not `--env`: Nx's run-commands owns that option name and rejects any other use of it.
    .option(
      '--environment <name>',
      'environment to build for, push to or deploy',
      env.PROD_E_ENVIRONMENT || DEFAULT_ENVIRONMENT,
    )
    .option('--skip-verify', 'deploy only: do not run `prod-e verify` after terraform apply', false)
    .option(
      '--prebuilt',
      'push and deploy: push the local image of the tag as it is, never build it (CI loads it from the build job)',
      false,
    )
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  program.parse([...argv], { from: 'user' });
  const options = program.opts<{ environment: string; skipVerify: boolean; prebuilt: boolean }>();
  return { env: options.environment, skipVerify: options.skipVerify, prebuilt: options.prebuilt };
}

/** Runs a script's main: expected failures print one sentence (no stack) and exit 1. */
export function runCli(main: () => Promise<void>): void {
  main().then(
    () => undefined,
    (error: unknown) => {
      if (error instanceof DeliveryError || error instanceof ConfigError) {
        process.stderr.write(`${error.message}\n`);
      } else if (isCommanderExit(error)) {
        // commander already printed the usage problem (or --help).
        process.exitCode = error.exitCode;
        return;
      } else {
        process.stderr.write(
          `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
        );
      }
      process.exitCode = 1;
    },
  );
}

function isCommanderExit(error: unknown): error is { exitCode: number } {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    String(error.code).startsWith('commander.')
  );
}
