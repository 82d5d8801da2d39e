import { awsCredentials, type Prerequisite, requirePrerequisites } from '@prod-e/cli-kit';
import { type DeploymentSettings, resourceNames } from '@prod-e/deployment';

import type { ECRClient } from '@aws-sdk/client-ecr';

import type { DeliveryOptions } from './cli';
import type { DeliveryContext } from './context';
import { assertReleasable, deliverySettings, resolveImageTag } from './image';

/** What `api:push` and `infra:deploy` both start from. */
export interface Release {
  readonly tag: string;
  readonly settings: DeploymentSettings;
  /** The environment's ECR repository name (`prod-e-backend`). */
  readonly repository: string;
  readonly ecr: ECRClient;
}

/**
 * The shared start of a release step: the image tag, the environment's settings (refusing
 * `latest` and `-dirty` tags for prod), then every prerequisite at once, AWS credentials included
 * (resolved by the same ECR client the step then uses).
 */
export async function prepareRelease(
  context: DeliveryContext,
  options: DeliveryOptions,
  /** "push the API image", or built from the environment: "deploy prod". */
  action: (environment: string) => string,
  tools: readonly Prerequisite[],
): Promise<Release> {
  const tag = await resolveImageTag(context.env, context.exec, context.root);
  const settings = deliverySettings(context.env, options.env, tag);
  assertReleasable(settings);
  const ecr = context.ecrClient(settings.region);
  await requirePrerequisites(action(settings.environment), [
    ...tools,
    awsCredentials(() => ecr.config.credentials()),
  ]);
  return { tag, settings, repository: resourceNames(settings.environment).ecrRepository, ecr };
}
