import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import dockerignore from '@balena/dockerignore';

/** Folders never walked: git's own data, and dependency trees (the ignore file must drop them). */
const NOT_WALKED = new Set(['.git', 'node_modules']);

/** The patterns of a .dockerignore file (comments and blank lines dropped, as Docker does). */
export async function readIgnorePatterns(file: string): Promise<string[]> {
  return (await readFile(file, 'utf8'))
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Whether Docker would leave `relativePath` out of the context, by Docker's matching rules. */
export function contextIgnores(patterns: readonly string[], relativePath: string): boolean {
  return dockerignore()
    .add([...patterns])
    .ignores(relativePath);
}

/**
 * The files `docker build` would send from `root`, relative to it, sorted. Matching is
 * @balena/dockerignore's port of Docker's own rules (patterns anchored at the root, `**`,
 * later `!` exceptions winning).
 */
export async function buildContextFiles(
  root: string,
  patterns: readonly string[],
): Promise<string[]> {
  const ignore = dockerignore().add([...patterns]);
  const files: string[] = [];
  const walk = async (relativeDir: string): Promise<void> => {
    for (const entry of await readdir(join(root, relativeDir), { withFileTypes: true })) {
      const relative = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!NOT_WALKED.has(entry.name)) await walk(relative);
      } else if (!ignore.ignores(relative)) {
        files.push(relative);
      }
    }
  };
  await walk('');
  return files.sort();
}
