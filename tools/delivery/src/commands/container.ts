import { CliError, dockerEngine, requirePrerequisites } from '@prod-e/cli-kit';

import type { DeliveryOptions } from '../lib/cli';
import type { DeliveryContext } from '../lib/context';
import { deliverySettings, localImage, resolveImageTag } from '../lib/image';
import { DOCKERFILE, fromRoot } from '../lib/paths';

/**
 * The platform Fargate runs: the task definition's runtime platform is X86_64 (a test checks the
 * synthesized stack), so a build on an arm64 laptop still produces an image the task can start.
 */
export const CONTAINER_PLATFORM = 'linux/amd64';

export interface BuiltImage {
  readonly tag: string;
  /** Local names: `<repository>:<tag>` and `<repository>:<environment>`. */
  readonly images: readonly string[];
}

/** `api:container`: builds docker/api.Dockerfile, tagged with the commit SHA and the environment. */
export async function buildContainer(
  context: DeliveryContext,
  options: DeliveryOptions,
): Promise<BuiltImage> {
  const tag = await resolveImageTag(context.env, context.exec, context.root);
  const settings = deliverySettings(context.env, options.env, tag);
  await requirePrerequisites('build the API image', [dockerEngine(context.exec)]);

  const images = [
    localImage(settings.environment, tag),
    localImage(settings.environment, settings.environment),
  ];
  context.log(
    `Building ${images.join(' and ')} from ${fromRoot(DOCKERFILE)} (${CONTAINER_PLATFORM})`,
  );
  const build = await context.exec(
    'docker',
    [
      'build',
      '--file',
      DOCKERFILE,
      '--platform',
      CONTAINER_PLATFORM,
      '--build-arg',
      `APP_VERSION=${tag}`,
      ...images.flatMap((image) => ['--tag', image]),
      context.root,
    ],
    // BuildKit is what reads docker/api.Dockerfile.dockerignore; the legacy builder would not.
    { stdio: 'inherit', cwd: context.root, env: { ...context.env, DOCKER_BUILDKIT: '1' } },
  );
  if (build.exitCode !== 0) {
    throw new CliError(
      `docker build failed (exit ${build.exitCode}); the build output above says why.`,
    );
  }
  return { tag, images };
}
