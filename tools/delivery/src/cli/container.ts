/** `npx nx run api:container [--environment <name>]`: builds the API image (see docs/container.md). */
import { buildContainer } from '../commands/container';
import { parseDeliveryOptions, runCli } from '../lib/cli';
import { processContext } from '../lib/context';

runCli(async () => {
  const built = await buildContainer(
    processContext(),
    parseDeliveryOptions('container', process.argv.slice(2), process.env),
  );
  process.stdout.write(`${built.images.join('\n')}\n`);
});
