import { loadApiConfig } from '@prod-e/api-config';
import { apiTestEnv } from '@prod-e/api-config/testing';
import type { MigrationInterface, QueryRunner } from 'typeorm';

import { MIGRATIONS } from '../src/migrations';
import { CreateRequestLogHourly1764720000000 } from '../src/migrations/1764720000000-create-request-log-hourly';
import { migrateCommand } from '../src/services/migrations/migrate-command';
import { runMigrations } from '../src/services/migrations/migration-runner';
import { type TestDatabase, createTestDatabase } from './support/test-database';

class AddNotes1764460900000 implements MigrationInterface {
  name = 'AddNotes1764460900000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE notes (id int PRIMARY KEY)');
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE notes');
  }
}

/** Creates a table, then fails: the table must not survive (transaction per migration). */
class BrokenMigration1764461000000 implements MigrationInterface {
  name = 'BrokenMigration1764461000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE half_done (id int)');
    await queryRunner.query('SELECT * FROM table_that_does_not_exist');
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS half_done');
  }
}

const databaseOf = (db: TestDatabase) =>
  loadApiConfig(apiTestEnv({ DATABASE_URL: db.url })).database;
const tables = async (db: TestDatabase) =>
  (
    await db.query<{ t: string }>(
      "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    )
  ).map((r) => r.t);
const applied = async (db: TestDatabase) =>
  (await db.query<{ name: string }>('SELECT name FROM migrations ORDER BY id')).map((r) => r.name);

describe('migration runner', () => {
  let db: TestDatabase;

  beforeEach(async () => {
    db = await createTestDatabase();
  });

  afterEach(async () => {
    await db.drop();
  });

  describe('on an empty database', () => {
    it('--dry-run lists exactly the pending migrations and changes nothing', async () => {
      // Act
      const result = await runMigrations(databaseOf(db), { dryRun: true });

      // Assert
      expect(result.migrations).toEqual(MIGRATIONS.map((m) => new m().name));
      expect(await tables(db)).not.toContain('request_log');
    });

    it('two concurrent runs apply each migration once and both succeed', async () => {
      // Act
      const [first, second] = await Promise.all([
        runMigrations(databaseOf(db)),
        runMigrations(databaseOf(db)),
      ]);

      // Assert: one applied everything, the other waited for the lock and found nothing to do
      expect([first.migrations.length, second.migrations.length].sort()).toEqual([
        0,
        MIGRATIONS.length,
      ]);
      expect(await applied(db)).toEqual(MIGRATIONS.map((m) => new m().name));
      expect(await tables(db)).toEqual(expect.arrayContaining(['migrations', 'request_log']));
    });
  });

  describe('with one migration already applied', () => {
    it('--dry-run lists only the new one', async () => {
      // Arrange
      await runMigrations(databaseOf(db));

      // Act
      const result = await runMigrations(databaseOf(db), {
        dryRun: true,
        migrations: [...MIGRATIONS, AddNotes1764460900000],
      });

      // Assert
      expect(result.migrations).toEqual(['AddNotes1764460900000']);
    });
  });

  describe('on a request log that already holds rows', () => {
    it('counts the existing rows into the hourly histograms once, with their error counts', async () => {
      // Arrange: the schema as it was before the histograms, with rows in it
      const before = MIGRATIONS.filter((m) => m !== CreateRequestLogHourly1764720000000);
      await runMigrations(databaseOf(db), { migrations: before });
      await db.query(
        `INSERT INTO request_log (method, route, status_code, duration_ms, request_id, created_at)
         SELECT 'GET', '/api/requests', CASE WHEN n % 4 = 0 THEN 500 ELSE 200 END, n, 'r' || n,
                now() - (n % 3) * interval '1 hour'
           FROM generate_series(1, 120) AS n`,
      );

      // Act
      await runMigrations(databaseOf(db));

      // Assert
      const [rolled] = await db.query<{ total: number; errors: number; hours: number }>(
        `SELECT sum(count)::int AS total, sum(server_errors)::int AS errors,
                count(DISTINCT hour)::int AS hours FROM request_log_hourly`,
      );
      expect(rolled.total).toBe(120);
      expect(rolled.errors).toBe(30);
      expect(rolled.hours).toBeGreaterThanOrEqual(3);
    });
  });

  describe('when a migration fails', () => {
    it('rolls that migration back and keeps the earlier ones', async () => {
      // Arrange
      await runMigrations(databaseOf(db));
      const before = await tables(db);

      // Act
      const run = runMigrations(databaseOf(db), {
        migrations: [...MIGRATIONS, AddNotes1764460900000, BrokenMigration1764461000000],
      });

      // Assert
      await expect(run).rejects.toThrow(/table_that_does_not_exist/);
      expect(await tables(db)).toEqual([...before, 'notes'].sort());
      expect(await tables(db)).not.toContain('half_done');
      expect(await applied(db)).toEqual([
        ...MIGRATIONS.map((m) => new m().name),
        'AddNotes1764460900000',
      ]);
    });
  });
});

describe('migrate command', () => {
  it('applies pending migrations and exits 0, then reports none pending', async () => {
    // Arrange
    const db = await createTestDatabase();
    const config = loadApiConfig(apiTestEnv({ DATABASE_URL: db.url }));
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };

    try {
      // Act
      const applyCode = await migrateCommand(config, [], io);
      const dryRunCode = await migrateCommand(config, ['--dry-run'], io);

      // Assert
      expect([applyCode, dryRunCode]).toEqual([0, 0]);
      expect(out).toEqual([
        ...MIGRATIONS.map((m) => `applied: ${new m().name}`),
        `${MIGRATIONS.length} migration(s) applied`,
        'no pending migrations',
        '0 pending migration(s)',
      ]);
    } finally {
      await db.drop();
    }
  });

  it('exits 1 naming the database when it cannot connect, and on unknown arguments', async () => {
    // Arrange
    const config = loadApiConfig(
      apiTestEnv({
        DATABASE_URL: 'postgres://nobody:secret@127.0.0.1:1/nowhere',
        DB_CONNECT_TIMEOUT_MS: '500',
      }),
    );
    const errors: string[] = [];
    const io = { out: () => undefined, err: (l: string) => errors.push(l) };

    // Act
    const unreachable = await migrateCommand(config, [], io);
    const unknown = await migrateCommand(config, ['--force'], io);

    // Assert
    expect([unreachable, unknown]).toEqual([1, 1]);
    expect(errors[0]).toMatch(/^migration failed on 127\.0\.0\.1:1\/nowhere/);
    expect(errors[0]).not.toContain('secret');
    expect(errors[1]).toMatch(/unknown argument: --force/);
  });
});
