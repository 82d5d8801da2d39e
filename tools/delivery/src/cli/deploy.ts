/**
 * `npx nx run infra:deploy [--environment <name>] [--skip-verify]`: build and push the image (as
 * `api:push` does), then synth, terraform apply, verify. One script rather than an Nx dependency
 * chain, so the exit code is the failing step's (Nx reports a dependent it skipped as 130).
 */
import { runCli } from '@prod-e/cli-kit';

import { buildContainer } from '../commands/container';
import { deploy } from '../commands/deploy';
import { pushImage } from '../commands/push';
import { parseDeliveryOptions } from '../lib/cli';
import { processContext } from '../lib/context';

void runCli('infra:deploy', async () => {
  const context = processContext();
  const options = parseDeliveryOptions('deploy', process.argv.slice(2), process.env);
  const deployment = await deploy(context, options, () =>
    pushImage(
      context,
      options,
      options.prebuilt ? undefined : () => buildContainer(context, options),
    ),
  );
  process.stdout.write(`Deployed ${deployment.tag}${deployment.verified ? ', verified' : ''}.\n`);
});
