import { healthResponseSchema } from '@prod-e/health-contract';

import { type FaultServer, startFaultServer } from './support/dev-db-control';
import { createTestDatabase } from './support/test-database';
import {
  PRODUCTION_TOKEN,
  type TestApp,
  eventually,
  productionEnv,
  startTestApp,
} from './support/test-app';

/**
 * A real fault (a PostgreSQL server of this spec's own, stopped while the API runs) seen from
 * outside. The one app of this file: Nest's lines logged outside a request go to the first
 * app's logger in a process (nestjs-pino keeps one root logger), as in a real task.
 */
describe('what /health tells the public while PostgreSQL is down (production mode)', () => {
  let server: FaultServer;
  let api: TestApp;

  beforeAll(async () => {
    server = await startFaultServer();
    const db = await createTestDatabase(server.url);
    api = await startTestApp(db.url, {
      captureLogs: 'info',
      env: productionEnv({ APP_VERSION: '0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6' }),
    });
  });

  afterAll(async () => {
    await api.close();
  });

  it('answers status, timestamp and database state only, and logs the driver error instead', async () => {
    // Arrange
    const { host, port } = new URL(server.url);
    const healthy = await api.inject({ url: '/health' });
    await server.stop();

    try {
      // Act
      const down = await eventually(
        () => api.inject({ url: '/health' }),
        (r) => r.statusCode === 503,
        5_000,
        50,
      );
      const live = await api.inject({ url: '/health/live' });
      const read = await api.inject({
        url: '/api/requests',
        headers: { authorization: `Bearer ${PRODUCTION_TOKEN}` },
      });

      // Assert
      const failures = api.logs.filter((line) => line.includes('health check failing'));
      expect(failures).toHaveLength(1);
      const detail = /health check failing: database: ([^"]+)"/.exec(failures[0])?.[1] ?? '';
      expect(detail).not.toBe('');
      const publicKeys = Object.keys(healthResponseSchema.shape).sort();
      expect(Object.keys(healthy.json()).sort()).toEqual(publicKeys);
      expect(Object.keys(down.value.json()).sort()).toEqual(publicKeys);
      expect(down.value.json()).toMatchObject({ status: 'error', database: 'disconnected' });
      for (const answer of [healthy, down.value, live, read]) {
        expect(answer.body).not.toContain(api.config.version);
        expect(answer.body).not.toContain(`${host}:${port}`);
        expect(answer.body).not.toContain(detail);
        expect(answer.body).not.toMatch(/ECONNREFUSED|timeout|terminated/i);
      }
      expect(read.statusCode).toBe(503);
      expect(read.json()).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'Database unavailable, retry later',
      });
      for (const answer of [down.value, live, read]) {
        expect(answer.headers['cache-control']).toBe('no-store');
      }
    } finally {
      await server.start();
    }
  });
});
