import { cp, mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { CliError } from '@prod-e/cli-kit';
import { API_ENTRYPOINT, API_SERVER_BUNDLE, CODE_CACHE_BUILD_COMMAND } from '@prod-e/api-config';
import { DockerfileParser } from 'dockerfile-ast';

import type { Exec, ExecOptions } from './exec';
import { fromRoot } from './paths';

/** The stage that installs the bundle's production dependencies. */
export const DEPS_STAGE = 'deps';

/** Files of the Nx build output that stage starts from: the generated manifest and lockfile. */
export const ARTIFACT_MANIFESTS = ['package.json', 'package-lock.json'] as const;

export interface ArtifactSize {
  /** Everything the build wrote (main.js, source map, manifests, assets). */
  readonly bundleBytes: number;
  readonly nodeModulesBytes: number;
  readonly totalBytes: number;
  /** Largest top-level packages in node_modules (scoped packages as `@scope/name`). */
  readonly largestPackages: readonly { readonly name: string; readonly bytes: number }[];
}

/** The shell commands of a stage's RUN instructions (flags such as `--mount` dropped), in order. */
export function stageRunScripts(dockerfileText: string, stage: string): string[] {
  const dockerfile = DockerfileParser.parse(dockerfileText);
  const from = dockerfile.getFROMs().find((candidate) => candidate.getBuildStage() === stage);
  const image = from && dockerfile.getContainingImage(from.getRange().start);
  if (!image) throw new CliError(`The Dockerfile has no stage named ${stage}.`);
  return image
    .getInstructions()
    .filter((instruction) => instruction.getKeyword() === 'RUN')
    .map((instruction) => instruction.getArgumentsContent() ?? '');
}

/** Runs one image build step in the artifact; a failure names the step and its last output. */
async function runStep(
  exec: Exec,
  step: string,
  [file, ...args]: readonly string[],
  options: ExecOptions,
): Promise<void> {
  const result = await exec(file, args, options);
  if (result.exitCode !== 0) {
    throw new CliError(
      `${step} failed in the assembled artifact (exit ${result.exitCode}): ` +
        `${result.stderr.trim().split('\n').slice(-3).join(' ')}`,
    );
  }
}

/**
 * Assembles what the runtime stage ships, outside the workspace, the way the image does: the
 * manifests, then the Dockerfile's own deps-stage RUN commands (read from the Dockerfile, run with
 * `sh -c`, NODE_ENV=production as that stage sets), then the whole build output, then the code
 * cache, written by the `node` on PATH (CODE_CACHE_BUILD_COMMAND, as the runtime stage runs it).
 */
export async function assembleProductionArtifact(
  distDir: string,
  outDir: string,
  exec: Exec,
  dockerfileText: string,
): Promise<void> {
  for (const file of [API_ENTRYPOINT, API_SERVER_BUNDLE, ...ARTIFACT_MANIFESTS]) {
    const present = await stat(join(distDir, file)).then(
      () => true,
      () => false,
    );
    if (!present) {
      throw new CliError(
        `${fromRoot(join(distDir, file))} is missing: run \`npx nx build api\` (apps/api's webpack ` +
          'config writes the loader, the server bundle and the pruned package.json and lockfile).',
      );
    }
  }
  await mkdir(outDir, { recursive: true });
  for (const manifest of ARTIFACT_MANIFESTS)
    await cp(join(distDir, manifest), join(outDir, manifest));
  for (const script of stageRunScripts(dockerfileText, DEPS_STAGE)) {
    await runStep(exec, `The deps stage's \`${script}\``, ['sh', '-c', script], {
      cwd: outDir,
      env: { ...process.env, NODE_ENV: 'production' },
    });
  }
  await cp(distDir, outDir, { recursive: true });
  await runStep(exec, `\`${CODE_CACHE_BUILD_COMMAND.join(' ')}\``, CODE_CACHE_BUILD_COMMAND, {
    cwd: outDir,
    env: { PATH: process.env.PATH, NODE_ENV: 'production' },
  });
}

/** Bytes on disk (file sizes, not blocks) below `path`, following no symlinks. */
export async function directoryBytes(path: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) total += await directoryBytes(child);
    else if (entry.isFile()) total += (await stat(child)).size;
  }
  return total;
}

/** Sizes of an assembled artifact: bundle vs production node_modules, and what dominates. */
export async function measureArtifact(dir: string, top = 10): Promise<ArtifactSize> {
  const nodeModules = join(dir, 'node_modules');
  const packages: { name: string; bytes: number }[] = [];
  for (const entry of await readdir(nodeModules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const names = entry.name.startsWith('@')
      ? (await readdir(join(nodeModules, entry.name))).map((scoped) => `${entry.name}/${scoped}`)
      : [entry.name];
    for (const name of names)
      packages.push({ name, bytes: await directoryBytes(join(nodeModules, name)) });
  }
  const nodeModulesBytes = await directoryBytes(nodeModules);
  const totalBytes = await directoryBytes(dir);
  return {
    bundleBytes: totalBytes - nodeModulesBytes,
    nodeModulesBytes,
    totalBytes,
    largestPackages: packages.sort((a, b) => b.bytes - a.bytes).slice(0, top),
  };
}

/** 12345678 → "11.8 MiB". */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MiB`
    : `${(bytes / 1024).toFixed(1)} KiB`;
}
