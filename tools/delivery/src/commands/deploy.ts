import { dirname } from 'node:path';

import { CliError, dockerEngine, terraformCli } from '@prod-e/cli-kit';
import {
  MINIMUM_TERRAFORM_VERSION,
  resourceNames,
  SERVICE_URL_OUTPUT,
  TASK_DEFINITION_OUTPUT,
} from '@prod-e/deployment';

import type { DeliveryOptions } from '../lib/cli';
import type { DeliveryContext } from '../lib/context';
import { imageTagExists } from '../lib/ecr';
import { fromRoot, synthesizedStackFile } from '../lib/paths';
import { prepareRelease } from '../lib/release';
import { readSynthesizedStack, serviceTaskDefinition } from '../lib/task-definition';

export interface Deployment {
  readonly tag: string;
  /** The task definition revision terraform registered: what verify waits for. */
  readonly taskDefinitionArn: string;
  readonly verified: boolean;
}

/** apps/infra's terraform runner (init, then apply in the synthesized stack's directory). */
export const INFRA_TERRAFORM_CLI = 'apps/infra/src/cli/terraform.ts';

/**
 * `infra:deploy` (after `api:push`): synthesizes the stack with PROD_E_IMAGE_TAG set to the pushed
 * tag, checks the task definition really names that tag, applies it through apps/infra's terraform
 * runner (the migration task runs before the service moves), then `prod-e verify` waits for a
 * healthy rollout. In CI (CI=true) terraform applies without asking; by hand it shows the plan
 * and asks.
 */
export async function deploy(
  context: DeliveryContext,
  options: DeliveryOptions,
  /** Builds and pushes the image first (`api:push`), once every prerequisite is known to be there. */
  push?: () => Promise<unknown>,
): Promise<Deployment> {
  const { tag, settings, repository, ecr } = await prepareRelease(
    context,
    options,
    (environment) => `deploy ${environment}`,
    [
      terraformCli(MINIMUM_TERRAFORM_VERSION, context.exec),
      ...(push ? [dockerEngine(context.exec)] : []),
    ],
  );
  await push?.();
  // Without the image, apply would register a task definition nothing can pull, and fail minutes
  // later in the migration task with CannotPullContainerError.
  if (!(await imageTagExists(ecr, repository, tag))) {
    throw new CliError(
      `${repository}:${tag} is not in ECR: push it first with \`npx nx run api:push --environment ${settings.environment}\`.`,
    );
  }

  const env = { ...context.env, PROD_E_ENVIRONMENT: settings.environment, PROD_E_IMAGE_TAG: tag };
  const step = async (title: string, file: string, args: readonly string[]) => {
    context.log(`▸ ${title}: ${file} ${args.join(' ')}`);
    const result = await context.exec(file, args, { stdio: 'inherit', cwd: context.root, env });
    if (result.exitCode !== 0) {
      throw new CliError(`${title} failed (exit ${result.exitCode}); the output above says why.`);
    }
  };

  // Not from the Nx cache: a cached synth of another tag would deploy the wrong image.
  await step('Synthesize', 'npx', [
    'nx',
    'run',
    'infra:synth',
    '--skip-nx-cache',
    '--outputStyle=static',
  ]);
  const names = resourceNames(settings.environment);
  const stackFile = synthesizedStackFile(names.stack, context.root);
  const { container } = serviceTaskDefinition(await readSynthesizedStack(stackFile), names);
  if (!container.image.endsWith(`:${tag}`)) {
    throw new CliError(
      `${fromRoot(stackFile)} runs ${container.image}, not tag ${tag}: the synth did not take PROD_E_IMAGE_TAG.`,
    );
  }

  const approve = context.env.CI === 'true' ? ['-auto-approve'] : [];
  await step('Terraform apply', 'npx', ['tsx', INFRA_TERRAFORM_CLI, 'deploy', ...approve]);
  // The revision the apply registered (so verify waits for exactly it) and the URL to probe.
  const stack = { dir: dirname(stackFile), env };
  const taskDefinitionArn = await stackOutput(context, stack, TASK_DEFINITION_OUTPUT, {
    what: 'task definition ARN',
    pattern: /^arn:aws[a-z-]*:ecs:.+:task-definition\/.+:\d+$/,
  });
  context.log(`▸ Applied ${taskDefinitionArn}`);
  if (options.skipVerify) return { tag, taskDefinitionArn, verified: false };
  // --no-install: the workspace's own CLI, never a registry package of that name.
  await step('Verify', 'npx', [
    '--no-install',
    'prod-e',
    'verify',
    '--env',
    settings.environment,
    '--task-definition',
    taskDefinitionArn,
    '--url',
    await stackOutput(context, stack, SERVICE_URL_OUTPUT, {
      what: 'service URL',
      pattern: /^https?:\/\/\S+$/,
    }),
  ]);
  return { tag, taskDefinitionArn, verified: true };
}

/** One output of the applied stack, checked against the shape it must have. */
async function stackOutput(
  context: DeliveryContext,
  stack: { dir: string; env: NodeJS.ProcessEnv },
  name: string,
  expected: { what: string; pattern: RegExp },
): Promise<string> {
  const output = await context.exec('terraform', ['output', '-raw', name], {
    cwd: stack.dir,
    env: stack.env,
  });
  const value = output.stdout.trim();
  if (output.exitCode !== 0 || !expected.pattern.test(value)) {
    throw new CliError(
      `terraform output ${name} gave no ${expected.what} (exit ${output.exitCode}${value ? `, "${value}"` : ''}): the apply did not record it.`,
    );
  }
  return value;
}
