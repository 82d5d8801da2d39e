import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'pg';

import { DEV_DB_PORT, devDbUrl, startDevDb } from './dev-db';
import { freePort } from './free-port';
import { TEST_DB_ROOT_DIR, WORKSPACE_ROOT } from './paths';

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

describe('devDbUrl', () => {
  it('is the DATABASE_URL that apps/api/.env.serve hands to `nx serve api`', async () => {
    // Arrange
    const envFile = await readFile(join(WORKSPACE_ROOT, 'apps/api/.env.serve'), 'utf8');

    // Act
    const line = envFile.split('\n').find((l) => l.startsWith('DATABASE_URL='));

    // Assert
    expect(line).toBe(`DATABASE_URL=${devDbUrl(DEV_DB_PORT)}`);
  });
});

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
      await expect(stat(dataDir)).rejects.toThrow(/ENOENT/);
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
        await expect(second).rejects.toThrow(`PostgreSQL on port ${port} (data in ${dataDir})`);
      } finally {
        await first.dispose();
      }
    });
  });
});
