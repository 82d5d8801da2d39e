import { CliError, dockerEngine } from '@prod-e/cli-kit';

import type { DeliveryOptions } from '../lib/cli';
import type { DeliveryContext } from '../lib/context';
import { dockerLogin, ecrRegistryLogin, imageTagExists } from '../lib/ecr';
import { localImage, registryImage } from '../lib/image';
import { prepareRelease } from '../lib/release';

export interface PushedImage {
  readonly image: string;
  /** False when ECR already held the tag (tags are immutable, so it is the same image). */
  readonly pushed: boolean;
}

/**
 * `api:push`: logs in to ECR with GetAuthorizationToken and pushes the commit-SHA tag only (never
 * `latest`, never the moving environment tag: the repository's tags are immutable). `build`
 * makes the local image once every prerequisite is known to be there and ECR lacks the tag, so
 * a failing step's own error (and exit code) is what the caller sees.
 */
export async function pushImage(
  context: DeliveryContext,
  options: DeliveryOptions,
  build: () => Promise<unknown> = () => Promise.resolve(),
): Promise<PushedImage> {
  const { tag, settings, repository, ecr } = await prepareRelease(
    context,
    options,
    () => 'push the API image',
    [dockerEngine(context.exec)],
  );
  const login = await ecrRegistryLogin(ecr);
  const image = registryImage(login.registry, settings.environment, tag);
  if (await imageTagExists(ecr, repository, tag)) {
    context.log(
      `${image} is already in ECR; immutable tags mean it is this build, so nothing to push.`,
    );
    return { image, pushed: false };
  }
  await build();
  await dockerLogin(context.exec, login);
  const local = localImage(settings.environment, tag);
  const tagged = await context.exec('docker', ['tag', local, image]);
  if (tagged.exitCode !== 0) {
    throw new CliError(
      `No local image ${local} to push: build it with \`npx nx run api:container --environment ${settings.environment}\`.`,
    );
  }
  context.log(`Pushing ${image}`);
  const push = await context.exec('docker', ['push', image], { stdio: 'inherit' });
  if (push.exitCode !== 0) {
    throw new CliError(
      `docker push ${image} failed (exit ${push.exitCode}); the output above says why.`,
    );
  }
  return { image, pushed: true };
}
