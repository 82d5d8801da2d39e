/** `npx nx run api:push [--env <name>]`: pushes the commit-SHA tag to ECR (see docs/container.md). */
import { pushImage } from '../commands/push';
import { parseDeliveryOptions, runCli } from '../lib/cli';
import { processContext } from '../lib/context';

runCli(async () => {
  const pushed = await pushImage(
    processContext(),
    parseDeliveryOptions('push', process.argv.slice(2), process.env),
  );
  process.stdout.write(`${pushed.image}\n`);
});
