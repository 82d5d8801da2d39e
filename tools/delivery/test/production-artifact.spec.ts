import { type ChildProcess, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import {
  chmod,
  copyFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  realpath,
  rm,
  stat,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, parse as parsePath } from 'node:path';

import { API_START_COMMAND } from '@prod-e/api-config';
import { API_PORT, HEALTH_PATH, LIVENESS_PATH, parseHealth } from '@prod-e/health-contract';
import { Client } from 'pg';

import { assembleProductionArtifact, formatBytes, measureArtifact } from '../src/lib/artifact';
import { exec } from '../src/lib/exec';
import { DOCKERFILE } from '../src/lib/paths';
import { replayBuildStage } from './build-stage';
import { synthesizedProdTaskDefinition } from './synthesized';
import { isolatedNetwork, type TestNetwork } from './test-network';

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
  let network: TestNetwork;
  let decoy: Server | undefined;
  let decoyHits = 0;
  /** The image's PATH: its own node first, as the image carries one in /usr/local/bin. */
  let imagePath: string;

  /** Runs the task definition's health-check command the way ECS does (CMD-SHELL = sh -c). */
  const runProbe = () => network.shell(probe, { PATH: imagePath }, 10_000);

  async function waitForLiveness(): Promise<void> {
    for (let attempt = 0; attempt < 240; attempt += 1) {
      if (api?.exitCode !== null)
        throw new Error(`The API exited with ${api?.exitCode}:\n${apiOutput.slice(-3000)}`);
      if ((await network.get(url(LIVENESS_PATH))).status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(
      `The API did not answer ${LIVENESS_PATH} within 60 s:\n${apiOutput.slice(-3000)}`,
    );
  }

  /**
   * The container's database connection, as seen from its network: inside a namespace of its
   * own the machine's loopback is out of reach, so the API uses the server's Unix socket.
   */
  async function databaseEnv(): Promise<NodeJS.ProcessEnv> {
    if (network.sharedWithHost) return { DATABASE_URL: databaseUrl };
    const { username, password, port, pathname } = new URL(databaseUrl);
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    const { rows } = await client
      .query<{ dirs: string }>("SELECT current_setting('unix_socket_directories') AS dirs")
      .finally(() => client.end());
    return {
      DB_HOST: rows[0].dirs.split(',')[0].trim(),
      DB_PORT: port,
      DB_NAME: pathname.slice(1),
      DB_USER: decodeURIComponent(username),
      DB_PASSWORD: decodeURIComponent(password),
    };
  }

  /** A server on the machine's own port 3000 that fails every check: the suite must never reach it. */
  async function occupyHostPort(): Promise<Server | undefined> {
    const server = createServer((_request, response) => {
      decoyHits += 1;
      response.writeHead(503).end('decoy');
    });
    return new Promise((resolve) => {
      server.once('error', () => resolve(undefined)); // taken already (an `nx serve api`): as good
      server.listen(API_PORT, '127.0.0.1', () => resolve(server));
    });
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
    // This test run's Node.js, copied where the unprivileged user can run it even when the
    // checkout (and a Node.js unpacked into it) sits under a directory closed to other users.
    const imageBin = join(root, 'usr', 'local', 'bin');
    await mkdir(imageBin, { recursive: true });
    await copyFile(process.execPath, join(imageBin, 'node'));
    imagePath = `${imageBin}:/usr/local/bin:/usr/bin:/bin`;

    const check = (await synthesizedProdTaskDefinition()).container.healthCheck?.command;
    if (check?.[0] !== 'CMD-SHELL' || !check[1])
      throw new Error('The synthesized task definition has no CMD-SHELL health check.');
    probe = check[1];
    network = await isolatedNetwork();
    if (network.sharedWithHost) {
      const free = (await network.get(url(LIVENESS_PATH))).status === 0;
      if (!free)
        throw new Error(
          `Port ${API_PORT} is in use, and ${network.sharedWithHost}: the container health ` +
            'check dials that port, so this suite needs it (stop `nx serve api`, or run as root).',
        );
    } else {
      decoy = await occupyHostPort();
    }

    const tmp = join(root, 'tmp');
    await mkdir(tmp);
    await chmod(tmp, 0o1777);
    api = network.spawn(API_START_COMMAND, {
      cwd: app,
      user: process.getuid?.() === 0 ? UNPRIVILEGED : undefined,
      env: {
        PATH: imagePath,
        HOME: tmp,
        TMPDIR: tmp,
        NODE_ENV: 'production',
        PORT: String(API_PORT),
        ...(await databaseEnv()),
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
    network?.close();
    decoy?.close();
    if (root) await rm(root, { recursive: true, force: true });
  }, 60_000);

  // Only root can make a network namespace; elsewhere the suite needs the machine's port 3000.
  const asRoot = process.getuid?.() === 0 ? it : it.skip;

  asRoot('runs in a network namespace of its own, as in a container', async () => {
    const [own, apis] = await Promise.all([
      readlink('/proc/self/ns/net'),
      readlink(`/proc/${api?.pid}/ns/net`),
    ]);

    expect(network.sharedWithHost).toBeUndefined();
    expect(apis).not.toBe(own);
  });

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

  // .ci/run runs every suite on the production image's major (.nvmrc), unpacked when the machine has another.
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

  it('starts from the V8 code cache the build wrote (no complaint about it)', () => {
    expect(filesBefore).toContain('server.js.v8cache');
    expect(apiOutput).not.toContain('v8cache');
  });

  it('answers /health with 200 and the contract body, the database connected', async () => {
    const response = await network.get(url(HEALTH_PATH));
    const parsed = parseHealth(response.body);

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

  asRoot("never reached the machine's own port 3000 (held by another server)", () => {
    expect(decoyHits).toBe(0);
  });
});
