import { createServer } from 'node:net';
import { mkdir, mkdtemp, rm, utimes } from 'node:fs/promises';
import { join } from 'node:path';

import { LIVENESS_PATH } from '@prod-e/health-contract';
import {
  DEV_DB_ENV,
  freePort,
  readClusterState,
  TEST_DB_ROOT_DIR,
  WORKSPACE_ROOT,
} from '@prod-e/dev-db';
import { developerNxEnv, runInTerminal, type TerminalProcess } from '@prod-e/dev-db/testing';

function developerEnv(dataDir: string, port: number): Promise<NodeJS.ProcessEnv> {
  return Promise.all([freePort(), freePort()]).then(([dbPort, metricsPort]) =>
    developerNxEnv({
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      [DEV_DB_ENV.port]: String(dbPort),
      [DEV_DB_ENV.dataDir]: dataDir,
    }),
  );
}

const status = (url: string) =>
  fetch(url).then(
    (response) => response.status,
    () => 0,
  );

describe('npx nx serve api', () => {
  let dataDir: string;
  let running: TerminalProcess | undefined;

  beforeEach(async () => {
    await mkdir(TEST_DB_ROOT_DIR, { recursive: true });
    dataDir = await mkdtemp(join(TEST_DB_ROOT_DIR, 'serve-'));
    await rm(dataDir, { recursive: true });
  });

  afterEach(async () => {
    running?.kill();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves, restarts after an edit, and on Ctrl-C stops the API and PostgreSQL cleanly', async () => {
    // Arrange
    const port = await freePort();
    const serve = runInTerminal('npx nx serve api --outputStyle=stream', {
      cwd: WORKSPACE_ROOT,
      env: await developerEnv(dataDir, port),
    });
    running = serve;
    // Where the data really is (as root in a closed checkout it moves: see startDevDb).
    const [, cluster] = await serve.waitFor(/data in (\S+); Ctrl-C stops it/, 150_000);
    await serve.waitFor(new RegExp(`serving http://localhost:${port} `), 150_000);
    await serve.waitFor(new RegExp(`listening on http://[0-9.]+:${port}`), 30_000);
    const before = await status(`http://127.0.0.1:${port}${LIVENESS_PATH}`);

    // Act: an edit (a saved file), then Ctrl-C
    const now = new Date();
    await utimes(join(WORKSPACE_ROOT, 'apps/api/src/health/health.controller.ts'), now, now);
    await serve.waitFor(/rebuilt in \d+ ms; restarting/, 60_000);
    await serve.waitFor(/listening on http[^\n]*\n[\s\S]*listening on http/, 30_000);
    const afterRestart = await status(`http://127.0.0.1:${port}${LIVENESS_PATH}`);
    serve.interrupt();
    await serve.exited(30_000);

    // Assert
    expect([before, afterRestart]).toEqual([200, 200]);
    expect(await status(`http://127.0.0.1:${port}${LIVENESS_PATH}`)).toBe(0);
    expect(serve.output()).not.toMatch(/Share usage data|Node process will not restart/);
    expect(await readClusterState(cluster)).toBe('shut down');
  });

  it('exits 1 at once, naming the port, when something already listens on it', async () => {
    // Arrange
    const taken = createServer().listen(0, '0.0.0.0');
    await new Promise((resolve) => taken.once('listening', resolve));
    const port = (taken.address() as { port: number }).port;

    try {
      // Act
      const serve = runInTerminal('npx nx serve api --outputStyle=stream', {
        cwd: WORKSPACE_ROOT,
        env: await developerEnv(dataDir, port),
      });
      running = serve;
      const code = await serve.exited(120_000);

      // Assert
      expect(code).toBe(1);
      expect(serve.output()).toContain(`port ${port} is in use`);
    } finally {
      taken.close();
    }
  });
});
