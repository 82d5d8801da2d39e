/**
 * `npx nx run delivery:artifact`: assembles what the image's runtime stage ships (the Nx build
 * output plus the Dockerfile's deps-stage commands: `npm ci --omit=dev` from the pruned lockfile) in a temporary directory outside the
 * workspace and prints its size, largest packages first. `--keep` leaves the directory in place.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { cliProgram, runCli } from '@prod-e/cli-kit';

import { assembleProductionArtifact, formatBytes, measureArtifact } from '../lib/artifact';
import { exec } from '../lib/exec';
import { API_DIST_DIR, DOCKERFILE } from '../lib/paths';

void runCli('delivery:artifact', async () => {
  const { keep } = cliProgram('artifact')
    .option('--keep', 'leave the assembled directory in place and print where it is')
    .parse(process.argv.slice(2), { from: 'user' })
    .opts<{ keep?: boolean }>();
  const dir = await mkdtemp(join(tmpdir(), 'prod-e-artifact-'));
  try {
    await assembleProductionArtifact(API_DIST_DIR, dir, exec, await readFile(DOCKERFILE, 'utf8'));
    const size = await measureArtifact(dir);
    const rows = [
      ['bundle (dist/apps/api)', formatBytes(size.bundleBytes)],
      ['production node_modules', formatBytes(size.nodeModulesBytes)],
      ['total', formatBytes(size.totalBytes)],
      ...size.largestPackages.map(({ name, bytes }) => [`  ${name}`, formatBytes(bytes)]),
    ];
    const width = Math.max(...rows.map(([label]) => label.length));
    process.stdout.write(
      rows.map(([label, value]) => `${label.padEnd(width)}  ${value.padStart(10)}`).join('\n') +
        '\n',
    );
    if (keep) process.stdout.write(`kept in ${dir}\n`);
  } finally {
    if (!keep) await rm(dir, { recursive: true, force: true });
  }
});
