import {
  API_ENTRYPOINT,
  API_NODE_FLAGS,
  API_SERVER_BUNDLE,
  CODE_CACHE_BUILD_COMMAND,
} from '@prod-e/api-config';
import { freePort } from '@prod-e/cli-kit';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { appendFile, cp, mkdtemp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { type TestDatabase, createTestDatabase } from './support/test-database';
import { eventually } from './support/test-app';

/** The build output (`nx build api`; the test target depends on it). */
const DIST = join(__dirname, '../../../dist/apps/api');
/** Copies go under the workspace's tmp/, so the few packages left external still resolve. */
const WORKSPACE_TMP = join(__dirname, '../../../tmp');

const [node, ...buildArgs] = CODE_CACHE_BUILD_COMMAND;
const CACHE_FILE = `${API_SERVER_BUNDLE}.v8cache`;

interface Started {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  health(): Promise<number>;
}

/**
 * The container's start command plus `nodeFlags`, in `dir`, against the test database, on a free
 * loopback port.
 */
async function startApi(
  dir: string,
  databaseUrl: string,
  nodeFlags: string[] = [],
): Promise<Started> {
  const port = await freePort();
  const child = spawn(process.execPath, [...API_NODE_FLAGS, ...nodeFlags, API_ENTRYPOINT], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      METRICS_PORT: '0', // a port the OS chooses: runs side by side never collide
      MIGRATIONS_RUN: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let [stdout, stderr] = ['', ''];
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    health: () =>
      fetch(`http://127.0.0.1:${port}/health`).then(
        (response) => response.status,
        () => 0,
      ),
  };
}

async function stopped(api: Started): Promise<void> {
  if (api.child.exitCode !== null) return;
  const exit = new Promise((resolve) => api.child.once('exit', resolve));
  api.child.kill('SIGTERM');
  await exit;
}

describe('the V8 code cache (node main.js write-code-cache)', () => {
  let dir: string;
  let db: TestDatabase;
  let written: ReturnType<typeof spawnSync>;

  beforeAll(async () => {
    dir = await mkdtemp(join(WORKSPACE_TMP, 'api-code-cache-'));
    await cp(DIST, dir, { recursive: true });
    await rm(join(dir, CACHE_FILE), { force: true });
    db = await createTestDatabase();
    expect(node).toBe('node');
    written = spawnSync(process.execPath, buildArgs, {
      cwd: dir,
      // Configuration a shell or an Nx .env may hold: the warm-up must not pick any of it up.
      env: { PATH: process.env.PATH, DB_HOST: 'db.internal', DB_NAME: 'app', API_AUTH: 'off' },
      encoding: 'utf8',
      timeout: 60_000,
    });
  });

  afterAll(async () => {
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('warms the server up without a database and writes the cache beside the bundle', async () => {
    expect(written.stderr).toBe('');
    expect(written.status).toBe(0);
    expect(written.stdout).toContain(`${CACHE_FILE} after 3 rounds of /health/live, /health`);
    // Bytecode of everything the warm-up ran, not only the bundle's top level.
    expect((await stat(join(dir, CACHE_FILE))).size).toBeGreaterThan(1024 * 1024);
  });

  it('starts from the cache silently and serves /health', async () => {
    const api = await startApi(dir, db.url);
    try {
      await eventually(api.health, (status) => status === 200, 30_000);
      expect(api.stderr()).toBe('');
      // The minified bundle keeps class names: Nest names loggers and providers after them.
      expect(api.stdout()).toContain('"context":"DatabaseConnection","msg":"database connected"');
    } finally {
      await stopped(api);
    }
  });

  it("loads the bundle through Node's module loader with --enable-source-maps", async () => {
    const api = await startApi(dir, db.url, ['--enable-source-maps']);
    try {
      await eventually(api.health, (status) => status === 200, 30_000);
      expect(api.stderr()).toBe('');
    } finally {
      await stopped(api);
    }
  });

  it('says so and compiles when V8 turns the cache down (other V8 flags)', async () => {
    // Heap sizes (--max-old-space-size) keep the cache on Node 24; compiler flags do not.
    const api = await startApi(dir, db.url, ['--no-opt']);
    try {
      await eventually(api.health, (status) => status === 200, 30_000);
      expect(api.stderr()).toMatch(
        /V8 rejected .*server\.js\.v8cache \(other Node\.js or V8 flags\)/,
      );
    } finally {
      await stopped(api);
    }
  });

  it('says so and compiles when the cache belongs to another build of the bundle', async () => {
    await appendFile(join(dir, API_SERVER_BUNDLE), '\n// another build\n');
    const api = await startApi(dir, db.url);
    try {
      await eventually(api.health, (status) => status === 200, 30_000);
      expect(api.stderr()).toMatch(/server\.js\.v8cache was written for another build/);
    } finally {
      await stopped(api);
    }
  });
});
