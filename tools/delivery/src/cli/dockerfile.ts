/**
 * Keeps docker/api.Dockerfile's EXPOSE, HEALTHCHECK and CMD equal to the shared contracts.
 *   npx nx run delivery:dockerfile            rewrite them
 *   npx nx run delivery:dockerfile --check    exit 1 if they differ (CI, tests)
 */
import { readFile, writeFile } from 'node:fs/promises';

import { CliError, cliProgram, runCli } from '@prod-e/cli-kit';

import { syncDockerfile } from '../lib/dockerfile';
import { DOCKERFILE, fromRoot } from '../lib/paths';

void runCli('delivery:dockerfile', async () => {
  const { check } = cliProgram('dockerfile')
    .option('--check', 'change nothing; exit 1 if the lines differ from the contracts')
    .parse(process.argv.slice(2), { from: 'user' })
    .opts<{ check?: boolean }>();
  const current = await readFile(DOCKERFILE, 'utf8');
  const synced = syncDockerfile(current);
  if (synced === current) {
    process.stdout.write(`${fromRoot(DOCKERFILE)} matches the shared contracts.\n`);
  } else if (check) {
    throw new CliError(
      `${fromRoot(DOCKERFILE)} is out of sync with @prod-e/health-contract and @prod-e/api-config.`,
      { hint: 'Run `npx nx run delivery:dockerfile`.' },
    );
  } else {
    await writeFile(DOCKERFILE, synced);
    process.stdout.write(`${fromRoot(DOCKERFILE)}: EXPOSE, HEALTHCHECK and CMD regenerated.\n`);
  }
});
