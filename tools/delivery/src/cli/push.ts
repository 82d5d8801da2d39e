/**
 * `npx nx run api:push [--environment <name>]`: builds the image (as `api:container` does) and pushes
 * the commit-SHA tag to ECR (see docs/container.md). One script rather than an Nx dependency,
 * so the exit code is the failing step's (Nx reports a dependent it skipped as 130). With
 * `--prebuilt` it pushes the local image of the tag and never builds.
 */
import { runCli } from '@prod-e/cli-kit';

import { buildContainer } from '../commands/container';
import { pushImage } from '../commands/push';
import { parseDeliveryOptions } from '../lib/cli';
import { processContext } from '../lib/context';

void runCli('api:push', async () => {
  const context = processContext();
  const options = parseDeliveryOptions('push', process.argv.slice(2), process.env);
  const pushed = await pushImage(
    context,
    options,
    options.prebuilt ? undefined : () => buildContainer(context, options),
  );
  process.stdout.write(`${pushed.image}\n`);
});
