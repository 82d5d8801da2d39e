import { loadApiConfig } from '@prod-e/api-config';
import { apiTestEnv } from '@prod-e/api-config/testing';
import { DataSource } from 'typeorm';

import { dataSourceOptions } from '../src/services/database/data-source-options';
import { type FaultServer, startFaultServer } from './support/dev-db-control';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { createTestCa, enableServerTls, type TestCa } from './support/tls-certificates';

/** Connects with verify-full through the API's own data-source options, then disconnects. */
async function connectVerifyFull(db: TestDatabase, caFile?: string): Promise<boolean> {
  const config = loadApiConfig(
    apiTestEnv({ DATABASE_URL: db.url, DB_SSL: 'verify-full', DB_SSL_CA_FILE: caFile }),
  );
  const source = new DataSource(dataSourceOptions(config.database));
  await source.initialize();
  try {
    const [row] = await source.query<{ ssl: boolean }[]>(
      'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
    );
    return row.ssl;
  } finally {
    await source.destroy();
  }
}

/** verify-full against a real server whose certificate a throwaway CA signed. */
describe('database TLS verification', () => {
  let server: FaultServer;
  let db: TestDatabase;
  let rightCa: TestCa;
  let otherCa: TestCa;

  beforeAll(async () => {
    server = await startFaultServer();
    rightCa = createTestCa();
    otherCa = createTestCa();
    await enableServerTls(server.url, rightCa);
    db = await createTestDatabase(server.url);
  });

  afterAll(() => {
    rightCa.remove();
    otherCa.remove();
  });

  it('accepts the server when its certificate chains to the configured CA and names the host', async () => {
    await expect(connectVerifyFull(db, rightCa.caFile)).resolves.toBe(true);
  });

  it('errors when the certificate was signed by another CA', async () => {
    await expect(connectVerifyFull(db, otherCa.caFile)).rejects.toThrow(
      /self[- ]signed|unable to verify|certificate/i,
    );
  });

  it('errors with the default RDS CA bundle, which did not sign this server', async () => {
    await expect(connectVerifyFull(db)).rejects.toThrow(
      /self[- ]signed|unable to verify|certificate/i,
    );
  });

  describe('when the certificate names another host', () => {
    let wrongName: TestCa;
    beforeAll(async () => {
      wrongName = createTestCa('DNS:db.example.com');
      await enableServerTls(server.url, wrongName);
    });
    afterAll(() => wrongName.remove());

    it('errors although the CA is trusted: verify-full checks the name too', async () => {
      await expect(connectVerifyFull(db, wrongName.caFile)).rejects.toThrow(
        /does not match|altnames|Hostname\/IP/i,
      );
    });
  });
});
