import { cp, mkdir, readdir, readFile, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { DockerfileParser } from 'dockerfile-ast';

import { stageRunScripts } from '../src/lib/artifact';
import { buildContextFiles, readIgnorePatterns } from '../src/lib/build-context';
import type { Exec } from '../src/lib/exec';
import { DOCKERIGNORE, WORKSPACE_ROOT } from '../src/lib/paths';

/** ENV values a stage sets, as a map (later instructions win, as in Docker). */
function stageEnv(dockerfileText: string, stage: string): Record<string, string> {
  const dockerfile = DockerfileParser.parse(dockerfileText);
  const from = dockerfile.getFROMs().find((candidate) => candidate.getBuildStage() === stage);
  const image = from && dockerfile.getContainingImage(from.getRange().start);
  return Object.fromEntries(
    (image?.getENVs() ?? []).flatMap((env) =>
      env.getProperties().map((p) => [p.getName(), p.getValue() ?? '']),
    ),
  );
}

/**
 * Replays the image's build stage without Docker: the build context exactly as the ignore file
 * lets it through, copied to `dir`; `npm ci` replaced by links into the workspace's installed
 * node_modules (the same lockfile), with the @prod-e/* workspace links pointing into the copy; then
 * the stage's other RUN lines (`npx nx build api`) with the stage's ENV. Returns the copy's root.
 */
export async function replayBuildStage(
  dir: string,
  dockerfileText: string,
  exec: Exec,
): Promise<string> {
  const workspace = join(dir, 'workspace');
  for (const file of await buildContextFiles(
    WORKSPACE_ROOT,
    await readIgnorePatterns(DOCKERIGNORE),
  )) {
    await mkdir(dirname(join(workspace, file)), { recursive: true });
    await cp(join(WORKSPACE_ROOT, file), join(workspace, file));
  }

  const modules = join(workspace, 'node_modules');
  await mkdir(join(modules, '@prod-e'), { recursive: true });
  for (const entry of await readdir(join(WORKSPACE_ROOT, 'node_modules'))) {
    if (entry !== '@prod-e')
      await symlink(join(WORKSPACE_ROOT, 'node_modules', entry), join(modules, entry));
  }
  const lock = JSON.parse(await readFile(join(workspace, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { link?: boolean; resolved?: string }>;
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (entry.link && entry.resolved && path.startsWith('node_modules/@prod-e/')) {
      await symlink(join(workspace, entry.resolved), join(workspace, path));
    }
  }

  for (const script of stageRunScripts(dockerfileText, 'build').filter(
    (line) => !/^npm ci\b/.test(line),
  )) {
    const result = await exec('sh', ['-c', script], {
      cwd: workspace,
      env: { ...process.env, ...stageEnv(dockerfileText, 'build') },
    });
    if (result.exitCode !== 0) {
      throw new Error(
        `The build stage's \`${script}\` failed (exit ${result.exitCode}):\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`,
      );
    }
  }
  return workspace;
}
