/** `npx nx run infra:deploy [--env <name>] [--skip-verify]`: synth, terraform apply, verify. */
import { deploy } from '../commands/deploy';
import { parseDeliveryOptions, runCli } from '../lib/cli';
import { processContext } from '../lib/context';

runCli(async () => {
  const deployment = await deploy(
    processContext(),
    parseDeliveryOptions('deploy', process.argv.slice(2), process.env),
  );
  process.stdout.write(`Deployed ${deployment.tag}${deployment.verified ? ', verified' : ''}.\n`);
});
