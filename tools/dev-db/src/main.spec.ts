import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { freePort } from '@prod-e/cli-kit';

import { readClusterState } from './lib/cluster-state';
import { DEV_DB_ENV, TEST_DB_ROOT_DIR, WORKSPACE_ROOT } from './lib/paths';
import { developerNxEnv, runInTerminal, type TerminalProcess } from './testing';

describe('nx run dev-db:start', () => {
  let dataDir: string;
  let task: TerminalProcess | undefined;

  beforeEach(async () => {
    await mkdir(TEST_DB_ROOT_DIR, { recursive: true });
    dataDir = await mkdtemp(join(TEST_DB_ROOT_DIR, 'nx-start-'));
    await rm(dataDir, { recursive: true }); // a fresh cluster is created in its place
  });

  afterEach(async () => {
    task?.kill();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('stops PostgreSQL with a clean shutdown on Ctrl-C, under Nx', async () => {
    // Arrange
    const env = await developerNxEnv({
      [DEV_DB_ENV.port]: String(await freePort()),
      [DEV_DB_ENV.dataDir]: dataDir,
    });
    task = runInTerminal('npx nx run dev-db:start --outputStyle=stream', {
      cwd: WORKSPACE_ROOT,
      env,
    });
    // Where the data really is (as root in a closed checkout it moves: see startDevDb).
    const [, cluster] = await task.waitFor(/data in (\S+); Ctrl-C stops it/, 90_000);
    expect(await readClusterState(cluster)).toBe('in production');

    // Act
    task.interrupt();
    await task.exited(30_000);

    // Assert
    expect(task.output()).toContain('PostgreSQL shut down cleanly');
    expect(await readClusterState(cluster)).toBe('shut down');
    await expect(stat(join(cluster, 'postmaster.pid'))).rejects.toThrow(/ENOENT/);
  });
});
