/**
 * Keeps docker/api.Dockerfile's EXPOSE, HEALTHCHECK and CMD equal to the shared contracts.
 *   npx nx run delivery:dockerfile            rewrite them
 *   npx nx run delivery:dockerfile --check    exit 1 if they differ (CI, tests)
 */
import { readFile, writeFile } from 'node:fs/promises';

import { runCli } from '../lib/cli';
import { syncDockerfile } from '../lib/dockerfile';
import { DeliveryError } from '../lib/errors';
import { DOCKERFILE, fromRoot } from '../lib/paths';

runCli(async () => {
  const check = process.argv.includes('--check');
  const current = await readFile(DOCKERFILE, 'utf8');
  const synced = syncDockerfile(current);
  if (synced === current) {
    process.stdout.write(`${fromRoot(DOCKERFILE)} matches the shared contracts.\n`);
  } else if (check) {
    throw new DeliveryError(
      `${fromRoot(DOCKERFILE)} is out of sync with @prod-e/health-contract and @prod-e/api-config: ` +
        'run `npx nx run delivery:dockerfile`.',
    );
  } else {
    await writeFile(DOCKERFILE, synced);
    process.stdout.write(`${fromRoot(DOCKERFILE)}: EXPOSE, HEALTHCHECK and CMD regenerated.\n`);
  }
});
