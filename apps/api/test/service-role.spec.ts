import { DB_SERVICE_USER, loadApiConfig } from '@prod-e/api-config';
import { apiTestEnv } from '@prod-e/api-config/testing';

import { runMigrations } from '../src/services/migrations/migration-runner';
import { createTestDatabase, type TestDatabase, withClient } from './support/test-database';

/** The database's URL with the service role's credentials. */
function asServiceRole(db: TestDatabase, password: string): string {
  const url = new URL(db.url);
  url.username = DB_SERVICE_USER;
  url.password = password;
  return url.toString();
}

describe('the service database role', () => {
  let db: TestDatabase;
  const password = `service-${Date.now()}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    await runMigrations(loadApiConfig(apiTestEnv({ DATABASE_URL: db.url })).database);
    // On RDS the role logs in with IAM tokens (rds_iam); locally a password stands in.
    await db.query(`ALTER ROLE ${DB_SERVICE_USER} PASSWORD '${password}'`);
  });

  afterAll(() => db.drop());

  it('reads and writes the request log', async () => {
    await withClient(asServiceRole(db, password), async (client) => {
      await client.query(
        "INSERT INTO request_log (method, route, status_code, duration_ms, request_id) VALUES ('GET', '/x', 200, 1.5, 'r1')",
      );
      const { rows } = await client.query('SELECT count(*)::int AS n FROM request_log');
      expect(rows[0].n).toBe(1);
      await client.query('DELETE FROM request_log');
    });
  });

  it('reaches tables later migrations create (default privileges)', async () => {
    await db.query('CREATE TABLE later_table (id int)');
    await withClient(asServiceRole(db, password), async (client) => {
      await expect(client.query('INSERT INTO later_table VALUES (1)')).resolves.toBeDefined();
    });
  });

  it('errors on DDL and on dropping what it does not own', async () => {
    await withClient(asServiceRole(db, password), async (client) => {
      await expect(client.query('CREATE TABLE mine (id int)')).rejects.toThrow(/permission denied/);
      await expect(client.query('DROP TABLE request_log')).rejects.toThrow(/must be owner/);
      await expect(client.query('TRUNCATE request_log')).rejects.toThrow(/permission denied/);
    });
  });

  it('is neither superuser nor able to create roles or databases', async () => {
    const [role] = await db.query<{
      rolsuper: boolean;
      rolcreaterole: boolean;
      rolcreatedb: boolean;
    }>('SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = $1', [
      DB_SERVICE_USER,
    ]);
    expect(role).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false });
  });
});
