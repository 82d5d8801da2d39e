import { DescribeImagesCommand, type ECRClient } from '@aws-sdk/client-ecr';

import type { DeliveryOptions } from '../lib/cli';
import type { DeliveryContext } from '../lib/context';
import { dockerLogin, ecrRegistryLogin } from '../lib/ecr';
import { DeliveryError } from '../lib/errors';
import {
  assertReleasable,
  deliverySettings,
  localImage,
  registryImage,
  resolveImageTag,
} from '../lib/image';
import { awsCredentials, dockerEngine, requirePrerequisites } from '../lib/prerequisites';

export interface PushedImage {
  readonly image: string;
  /** False when ECR already held the tag (tags are immutable, so it is the same image). */
  readonly pushed: boolean;
}

/**
 * `api:push`: logs in to ECR with GetAuthorizationToken and pushes the commit-SHA tag only (never
 * `latest`, never the moving environment tag: the repository's tags are immutable).
 */
export async function pushImage(
  context: DeliveryContext,
  options: DeliveryOptions,
): Promise<PushedImage> {
  const tag = await resolveImageTag(context.env, context.exec, context.root);
  const settings = deliverySettings(context.env, options.env, tag);
  assertReleasable(settings);
  const ecr = context.ecrClient(settings.region);
  await requirePrerequisites('push the API image', [
    dockerEngine(context.exec),
    awsCredentials(() => ecr.config.credentials()),
  ]);

  const login = await ecrRegistryLogin(ecr);
  const image = registryImage(login.registry, settings.environment, tag);
  const repositoryName = localImage(settings.environment, tag).split(':')[0];
  if (await imageTagExists(ecr, repositoryName, tag)) {
    context.log(
      `${image} is already in ECR; immutable tags mean it is this build, so nothing to push.`,
    );
    return { image, pushed: false };
  }
  await dockerLogin(context.exec, login);

  const local = localImage(settings.environment, tag);
  const tagged = await context.exec('docker', ['tag', local, image]);
  if (tagged.exitCode !== 0) {
    throw new DeliveryError(
      `No local image ${local} to push: build it with \`npx nx run api:container --env ${settings.environment}\`.`,
    );
  }
  context.log(`Pushing ${image}`);
  const push = await context.exec('docker', ['push', image], { stdio: 'inherit' });
  if (push.exitCode !== 0) {
    throw new DeliveryError(
      `docker push ${image} failed (exit ${push.exitCode}); the output above says why.`,
    );
  }
  return { image, pushed: true };
}

async function imageTagExists(
  ecr: ECRClient,
  repositoryName: string,
  imageTag: string,
): Promise<boolean> {
  try {
    const found = await ecr.send(
      new DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag }] }),
    );
    return (found.imageDetails?.length ?? 0) > 0;
  } catch (error) {
    if (error instanceof Error && error.name === 'ImageNotFoundException') return false;
    if (error instanceof Error && error.name === 'RepositoryNotFoundException') {
      throw new DeliveryError(
        `ECR repository ${repositoryName} does not exist in this account and region: deploy the stack once ` +
          '(an administrator runs `npx nx run infra:deploy`) or check AWS_REGION.',
        { cause: error },
      );
    }
    throw error;
  }
}
