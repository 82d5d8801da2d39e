import {
  healthResponseSchema,
  livenessResponseSchema,
  parseHealth,
  parseLiveness,
} from '@prod-e/health-contract';

import { RequestLogWriter } from '../src/requests/request-log.writer';
import { ShutdownState } from '../src/services/lifecycle/shutdown-state.service';
import { type TestDatabase, createTestDatabase } from './support/test-database';
import { type TestApp, startTestApp } from './support/test-app';

function probesSoFar(metricsText: string): number {
  return Number(/^health_database_probes_total (\d+)/m.exec(metricsText)?.[1] ?? NaN);
}

describe('health endpoints', () => {
  let db: TestDatabase;
  let api: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    // A long cache so the concurrency check below cannot be split by an expiry.
    api = await startTestApp(db.url, { env: { HEALTH_CACHE_TTL_MS: '5000' } });
  });

  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  describe('when the database is up', () => {
    it('50 concurrent GET /health with a cold cache share exactly one database probe', async () => {
      // Arrange
      const before = probesSoFar(await api.scrape());

      // Act
      const responses = await Promise.all(
        Array.from({ length: 50 }, () => api.inject({ url: '/health' })),
      );
      const after = probesSoFar(await api.scrape());

      // Assert
      expect(responses.map((r) => r.statusCode)).toEqual(Array(50).fill(200));
      expect(after - before).toBe(1);
    });

    it('GET /health answers 200 with the contract body', async () => {
      // Act
      const response = await api.inject({ url: '/health' });

      // Assert
      expect(response.statusCode).toBe(200);
      const parsed = parseHealth(response.body);
      expect(parsed).toMatchObject({ ok: true, value: { status: 'ok', database: 'connected' } });
      expect(Object.keys(response.json()).sort()).toEqual(
        Object.keys(healthResponseSchema.shape).sort(),
      );
    });

    it('GET /health/live answers 200 ok with a timestamp, and nothing else', async () => {
      // Act
      const response = await api.inject({ url: '/health/live' });

      // Assert
      expect(response.statusCode).toBe(200);
      expect(parseLiveness(response.body)).toMatchObject({ ok: true, value: { status: 'ok' } });
      expect(Object.keys(response.json()).sort()).toEqual(
        Object.keys(livenessResponseSchema.shape).sort(),
      );
    });

    it('health requests are not written to the request log', async () => {
      // Arrange
      await api.inject({ url: '/health' });
      await api.inject({ url: '/health/live' });

      // Act
      await api.app.get(RequestLogWriter).flush();
      const rows = await db.query<{ route: string }>(
        "SELECT route FROM request_log WHERE route LIKE '/health%'",
      );

      // Assert
      expect(rows).toEqual([]);
    });
  });

  describe('once a graceful shutdown has begun', () => {
    it('liveness and /health answer 503 with status shutting_down', async () => {
      // Arrange
      const own = await createTestDatabase();
      const draining = await startTestApp(own.url);
      draining.app.get(ShutdownState).beforeApplicationShutdown();

      try {
        // Act
        const live = await draining.inject({ url: '/health/live' });
        const health = await draining.inject({ url: '/health' });

        // Assert
        expect(live.statusCode).toBe(503);
        expect(parseLiveness(live.body)).toMatchObject({
          ok: true,
          value: { status: 'shutting_down' },
        });
        expect(health.statusCode).toBe(503);
        expect(parseHealth(health.body)).toMatchObject({
          ok: true,
          value: { status: 'shutting_down' },
        });
      } finally {
        await draining.close();
        await own.drop();
      }
    });
  });
});
