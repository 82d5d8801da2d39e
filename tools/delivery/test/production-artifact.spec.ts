import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, mkdtemp, readdir, readFile, realpath, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, parse as parsePath } from 'node:path';

import { API_START_COMMAND } from '@prod-e/config';
import { API_PORT, HEALTH_PATH, LIVENESS_PATH, parseHealth } from '@prod-e/health-contract';
import { Client } from 'pg';

import { assembleProductionArtifact, formatBytes, measureArtifact } from '../src/lib/artifact';
import { exec } from '../src/lib/exec';
import { DOCKERFILE } from '../src/lib/paths';
import { replayBuildStage } from './build-stage';
import { synthesizedProdTaskDefinition } from './synthesized';

/** The image budget for bundle + production node_modules (docs/container.md). */
const ARTIFACT_BUDGET_BYTES = 40 * 1024 * 1024;
/** `nobody`: the API must run as a user that owns nothing, as the image's `node` user owns nothing in /app. */
const UNPRIVILEGED = { uid: 65534, gid: 65534 };

const url = (path: string) => `http://127.0.0.1:${API_PORT}${path}`;

async function listTree(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

describe('the production artifact (what the image runs, without Docker)', () => {
  let root: string;
  let app: string;
  // The run's PostgreSQL: tools/dev-db's Jest globalSetup starts it (or TEST_DATABASE_URL names one).
  const databaseUrl = process.env.TEST_DATABASE_URL as string;
  let api: ChildProcess | undefined;
  let apiOutput = '';
  let probe: string;
  let filesBefore: string[];

  /** Runs the task definition's health-check command the way ECS does (CMD-SHELL = sh -c). */
  const runProbe = () =>
    spawnSync('sh', ['-c', probe], { env: { PATH: process.env.PATH }, timeout: 10_000 }).status;

  async function waitForLiveness(): Promise<void> {
    for (let attempt = 0; attempt < 240; attempt += 1) {
      if (api?.exitCode !== null)
        throw new Error(`The API exited with ${api?.exitCode}:\n${apiOutput.slice(-3000)}`);
      const ok = await fetch(url(LIVENESS_PATH)).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`The API did not answer ${LIVENESS_PATH}:\n${apiOutput.slice(-3000)}`);
  }

  beforeAll(async () => {
    const dockerfile = await readFile(DOCKERFILE, 'utf8');
    // Outside the workspace, so no workspace node_modules is reachable from the app directory.
    root = await mkdtemp(join(tmpdir(), 'prod-e-image-'));
    await chmod(root, 0o755);
    const workspace = await replayBuildStage(root, dockerfile, exec);
    app = join(root, 'app');
    await assembleProductionArtifact(join(workspace, 'dist/apps/api'), app, exec, dockerfile);
    filesBefore = await listTree(app);

    const check = (await synthesizedProdTaskDefinition()).container.healthCheck?.command;
    if (check?.[0] !== 'CMD-SHELL' || !check[1])
      throw new Error('The synthesized task definition has no CMD-SHELL health check.');
    probe = check[1];
    const free = await fetch(url(LIVENESS_PATH)).then(
      () => false,
      () => true,
    );
    if (!free)
      throw new Error(
        `Port ${API_PORT} is in use: the container health check dials it, so this test needs it.`,
      );

    const tmp = join(root, 'tmp');
    await mkdir(tmp);
    await chmod(tmp, 0o1777);
    const [command, ...args] = API_START_COMMAND;
    api = spawn(command, args, {
      cwd: app,
      ...(process.getuid?.() === 0 ? UNPRIVILEGED : {}),
      env: {
        PATH: process.env.PATH,
        HOME: tmp,
        TMPDIR: tmp,
        NODE_ENV: 'production',
        PORT: String(API_PORT),
        DATABASE_URL: databaseUrl,
        DB_SSL: 'disable',
        MIGRATIONS_RUN: 'true',
        API_TOKENS: 'artifact-test-token-0123456789',
        LOG_LEVEL: 'warn',
      },
    });
    api.stdout?.on('data', (chunk: Buffer) => (apiOutput += chunk.toString()));
    api.stderr?.on('data', (chunk: Buffer) => (apiOutput += chunk.toString()));
    await waitForLiveness();
  }, 600_000);

  afterAll(async () => {
    if (api && api.exitCode === null && api.signalCode === null) {
      api.kill('SIGCONT');
      api.kill('SIGKILL');
    }
    if (root) await rm(root, { recursive: true, force: true });
  }, 60_000);

  it('sits outside the workspace with no node_modules above it', async () => {
    let dir = parsePath(app).dir;
    while (dir !== parsePath(dir).root) {
      await expect(stat(join(dir, 'node_modules'))).rejects.toThrow();
      dir = parsePath(dir).dir;
    }
    expect(app.startsWith(process.cwd())).toBe(false);
  });

  it(`stays within the ${formatBytes(ARTIFACT_BUDGET_BYTES)} budget`, async () => {
    const size = await measureArtifact(app);

    expect(size.bundleBytes + size.nodeModulesBytes).toBe(size.totalBytes);
    expect(size.totalBytes).toBeLessThan(ARTIFACT_BUDGET_BYTES);
  });

  // .ci/run repeats this suite with Node 24 first on PATH, the production image's major.
  it('runs on the Node.js found on PATH, the same major as the test run', async () => {
    const exe = await realpath(`/proc/${api?.pid}/exe`);
    const version = spawnSync(exe, ['--version'], { encoding: 'utf8' }).stdout.trim();

    expect(version.split('.')[0]).toBe(process.version.split('.')[0]);
  });

  it('runs as an unprivileged user', async () => {
    const status = await readFile(`/proc/${api?.pid}/status`, 'utf8');

    expect(status).toMatch(
      new RegExp(
        `^Uid:\\s+${process.getuid?.() === 0 ? UNPRIVILEGED.uid : process.getuid?.()}\\s`,
        'm',
      ),
    );
  });

  it('starts from the V8 code cache the build wrote (no complaint about it)', async () => {
    expect(filesBefore).toContain('server.js.v8cache');
    expect(apiOutput).not.toContain('v8cache');
  });

  it('answers /health with 200 and the contract body, the database connected', async () => {
    const response = await fetch(url(HEALTH_PATH));
    const parsed = parseHealth(await response.text());

    expect(response.status).toBe(200);
    expect(parsed).toMatchObject({ ok: true, value: { status: 'ok', database: 'connected' } });
  });

  it('applied the migrations at start (MIGRATIONS_RUN=true, as in compose)', async () => {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ count: string }>(
        'SELECT count(*) AS count FROM migrations',
      );

      expect(Number(rows[0].count)).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  });

  it('passes the synthesized container health check while serving', () => {
    expect(probe).toMatch(/^node -e "/);
    expect(runProbe()).toBe(0);
  });

  it('fails the health check while hung (SIGSTOP) and passes again once resumed', async () => {
    api?.kill('SIGSTOP');
    try {
      expect(runProbe()).toBe(1);
    } finally {
      api?.kill('SIGCONT');
    }
    await waitForLiveness();
    expect(runProbe()).toBe(0);
  });

  it('exits 0 on SIGTERM (exec-form CMD: Node gets the signal), then fails the health check', async () => {
    const exited = once(api as ChildProcess, 'exit');
    api?.kill('SIGTERM');
    const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];

    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(runProbe()).toBe(1);
  });

  it('wrote nothing into its own directory (the image root filesystem is read-only)', async () => {
    expect(await listTree(app)).toEqual(filesBefore);
  });
});
