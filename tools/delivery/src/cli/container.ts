/** `npx nx run api:container [--environment <name>]`: builds the API image (see docs/container.md). */
import { runCli } from '@prod-e/cli-kit';

import { buildContainer } from '../commands/container';
import { parseDeliveryOptions } from '../lib/cli';
import { processContext } from '../lib/context';

void runCli('api:container', async () => {
  const built = await buildContainer(
    processContext(),
    parseDeliveryOptions('container', process.argv.slice(2), process.env),
  );
  process.stdout.write(`${built.images.join('\n')}\n`);
});
