import { DB_SERVICE_USER, loadApiConfig } from '@prod-e/api-config';
import { apiTestEnv } from '@prod-e/api-config/testing';

import { runMigrations } from '../src/services/migrations/migration-runner';
import { type FaultServer, startFaultServer } from './support/dev-db-control';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { eventually, startTestApp, type TestApp } from './support/test-app';
import { createTestCa, enableServerTls, type TestCa } from './support/tls-certificates';

/**
 * What RDS IAM authentication does, played locally: the "token" the signer issues is the service
 * role's current password. A credential rotation changes it; only a pool that asks the signer for
 * every new connection keeps working. (The real signer's request is checked in iam-auth.spec.ts.)
 */
let mockCurrentToken = '';
const mockSignerConfigs: unknown[] = [];
let mockTokensIssued = 0;
jest.mock('@aws-sdk/rds-signer', () => ({
  Signer: jest.fn().mockImplementation((config: unknown) => {
    mockSignerConfigs.push(config);
    return {
      getAuthToken: () => {
        mockTokensIssued++;
        return Promise.resolve(mockCurrentToken);
      },
    };
  }),
}));

/** Drops the service role's open connections: the pool must open new ones. */
async function dropServiceConnections(db: TestDatabase): Promise<void> {
  await db.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [
    DB_SERVICE_USER,
  ]);
}

describe('database credentials that change under the running API', () => {
  let server: FaultServer;
  let ca: TestCa;
  let db: TestDatabase;
  let api: TestApp;

  const rotate = async (password: string) => {
    await db.query(`ALTER ROLE ${DB_SERVICE_USER} PASSWORD '${password}'`);
    await dropServiceConnections(db);
  };

  beforeAll(async () => {
    server = await startFaultServer();
    ca = createTestCa();
    await enableServerTls(server.url, ca);
    db = await createTestDatabase(server.url);
    // The migration task's part, as the master user: schema and the service role.
    await runMigrations(loadApiConfig(apiTestEnv({ DATABASE_URL: db.url })).database);
    mockCurrentToken = 'first-credential';
    await db.query(`ALTER ROLE ${DB_SERVICE_USER} PASSWORD '${mockCurrentToken}'`);
    const url = new URL(db.url);
    // Exactly the variables the ECS task definition sets: no password anywhere.
    api = await startTestApp(db.url, {
      env: {
        DATABASE_URL: undefined,
        MIGRATIONS_RUN: 'false',
        HEALTH_CACHE_TTL_MS: '100',
        // Every read on a connection: a cached answer would need none, proving nothing.
        REQUEST_LOG_READ_CACHE_TTL_MS: '0',
        DB_AUTH: 'iam',
        DB_HOST: url.hostname,
        DB_PORT: url.port,
        DB_NAME: url.pathname.slice(1),
        DB_USER: DB_SERVICE_USER,
        DB_REGION: 'us-west-2',
        DB_SSL_CA_FILE: ca.caFile,
      },
    });
  });

  afterAll(async () => {
    await api?.close();
    ca.remove();
  });

  it('connects as the service role with a signer for its host, port, user and region', async () => {
    expect((await api.inject({ url: '/health' })).statusCode).toBe(200);
    expect((await api.inject({ url: '/api/requests' })).statusCode).toBe(200);
    const url = new URL(db.url);
    expect(mockSignerConfigs).toContainEqual({
      hostname: url.hostname,
      port: Number(url.port),
      username: DB_SERVICE_USER,
      region: 'us-west-2',
    });
  });

  it('keeps working after the credential rotates: new connections present the new one', async () => {
    const before = mockTokensIssued;
    mockCurrentToken = 'second-credential';
    await rotate(mockCurrentToken);

    const health = await eventually(
      () => api.inject({ url: '/health' }),
      (r) => r.statusCode === 200,
      5_000,
      100,
    );
    expect(health.value.statusCode).toBe(200);
    expect((await api.inject({ url: '/api/requests' })).statusCode).toBe(200);
    expect(mockTokensIssued).toBeGreaterThan(before);
  });

  it('errors on new connections when the credential presented is the one read at start (the stale-password failure)', async () => {
    // The signer keeps issuing the old value, as a password read once at start would.
    await rotate('third-credential');
    const down = await eventually(
      () => api.inject({ url: '/health' }),
      (r) => r.statusCode === 503,
      5_000,
      100,
    );
    expect(down.value.statusCode).toBe(503);
    // Back to a signer that follows the rotation: the API recovers without a restart.
    mockCurrentToken = 'third-credential';
    const up = await eventually(
      () => api.inject({ url: '/health' }),
      (r) => r.statusCode === 200,
      10_000,
      100,
    );
    expect(up.value.statusCode).toBe(200);
  });
});
