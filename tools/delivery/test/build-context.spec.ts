import { readFile } from 'node:fs/promises';

import { buildContextFiles, contextIgnores, readIgnorePatterns } from '../src/lib/build-context';
import { DOCKERIGNORE, WORKSPACE_ROOT } from '../src/lib/paths';

/** Workspace folders (apps/api, libs/api-config, …) as the root lockfile records them. */
async function lockfileWorkspaces(): Promise<string[]> {
  const lock = JSON.parse(await readFile(`${WORKSPACE_ROOT}/package-lock.json`, 'utf8')) as {
    packages: Record<string, { link?: boolean; resolved?: string }>;
  };
  return Object.values(lock.packages).flatMap((entry) =>
    entry.link && entry.resolved ? [entry.resolved] : [],
  );
}

describe('build context (docker/api.Dockerfile.dockerignore)', () => {
  let patterns: string[];
  let files: string[];
  beforeAll(async () => {
    patterns = await readIgnorePatterns(DOCKERIGNORE);
    files = await buildContextFiles(WORKSPACE_ROOT, patterns);
  });

  it('holds what npm ci and nx build api read', async () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'package-lock.json',
        'nx.json',
        'tsconfig.base.json',
        'apps/api/webpack.config.cjs',
        'apps/api/src/main.ts',
        'libs/api-config/src/index.ts',
        'libs/health-contract/src/index.ts',
      ]),
    );
    for (const workspace of await lockfileWorkspaces())
      expect(files).toContain(`${workspace}/package.json`);
  });

  it('leaves out secrets, dependencies, build output, git data and tests', () => {
    for (const path of [
      '.env',
      'docker/.env',
      'apps/api/.env.local',
      'node_modules/x/index.js',
      'apps/api/node_modules/y.js',
      'dist/apps/api/main.js',
      '.git/config',
      '.nx/cache/x',
    ]) {
      expect(contextIgnores(patterns, path)).toBe(true);
    }
    expect(
      files.filter((file) => /(^|\/)(\.env|node_modules|dist|test)(\/|$)|\.spec\.ts$/.test(file)),
    ).toEqual([]);
  });

  it('leaves out the other projects sources, so editing them never invalidates the image build', () => {
    expect(
      files.filter(
        (file) => /^(tools|apps\/infra)\/.+\/src\//.test(file) || file.startsWith('docker/'),
      ),
    ).toEqual([]);
  });
});
