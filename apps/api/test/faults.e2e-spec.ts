import { parseHealth } from '@prod-e/health-contract';

import { type FaultServer, startFaultServer } from './support/dev-db-control';
import { createTestDatabase } from './support/test-database';
import { RequestLogWriter } from '../src/requests/request-log.writer';
import { type TestApp, eventually, startTestApp } from './support/test-app';

/**
 * Real faults: these specs stop and start a PostgreSQL server of their own (never the shared
 * one), while the API keeps running.
 */
describe('database faults', () => {
  let server: FaultServer;

  beforeAll(async () => {
    server = await startFaultServer();
  });

  describe('when PostgreSQL stops while the API runs', () => {
    let api: TestApp;

    beforeAll(async () => {
      const db = await createTestDatabase(server.url);
      api = await startTestApp(db.url, { env: { HEALTH_CACHE_TTL_MS: '250' } });
    });

    afterAll(async () => {
      await api.close();
    });

    it('reports 503 disconnected within 1.5 s, keeps liveness at 200, and recovers within 5 s of the restart', async () => {
      // Arrange
      expect((await api.inject({ url: '/health' })).statusCode).toBe(200);

      // Act: stop the server
      await server.stop();
      const down = await eventually(
        () => api.inject({ url: '/health' }),
        (r) => r.statusCode === 503,
        1_500,
        50,
      );
      const liveWhileDown = await api.inject({ url: '/health/live' });
      const readWhileDown = await api.inject({ url: '/api/requests' });

      // Act: start it again
      await server.start();
      const up = await eventually(
        () => api.inject({ url: '/health' }),
        (r) => r.statusCode === 200,
        5_000,
        100,
      );

      // Assert
      expect(down.elapsedMs).toBeLessThanOrEqual(1_500);
      expect(parseHealth(down.value.body)).toMatchObject({
        ok: true,
        value: { status: 'error', database: 'disconnected' },
      });
      expect(liveWhileDown.statusCode).toBe(200);
      expect(readWhileDown.statusCode).toBe(503);
      expect(up.elapsedMs).toBeLessThanOrEqual(5_000);
      expect(parseHealth(up.value.body)).toMatchObject({
        ok: true,
        value: { database: 'connected' },
      });
      expect((await api.inject({ url: '/api/requests' })).statusCode).toBe(200);
    });
  });

  describe('when the API starts while PostgreSQL is down', () => {
    it('serves liveness at once, answers /health 503, and recovers once the database is back', async () => {
      // Arrange
      const db = await createTestDatabase(server.url);
      await server.stop();

      // Act
      const api = await startTestApp(db.url, { waitForDatabase: false });
      try {
        const live = await api.inject({ url: '/health/live' });
        const health = await api.inject({ url: '/health' });
        const read = await api.inject({ url: '/api/requests' });
        await server.start();
        const recovered = await eventually(
          () => api.inject({ url: '/health' }),
          (r) => r.statusCode === 200,
          20_000, // the connect retry backs off up to 10 s; this bound is generous, not a claim
          200,
        );

        // Assert
        expect(live.statusCode).toBe(200);
        expect(health.statusCode).toBe(503);
        expect(parseHealth(health.body)).toMatchObject({
          ok: true,
          value: { database: 'disconnected' },
        });
        expect(read.statusCode).toBe(503);
        expect(recovered.value.statusCode).toBe(200);
        expect((await api.inject({ url: '/api/requests' })).statusCode).toBe(200);
      } finally {
        await api.close();
      }
    });
  });

  describe('when PostgreSQL stops while requests are being logged', () => {
    it('keeps the entries buffered, drops none, and writes each once after the restart', async () => {
      // Arrange
      const db = await createTestDatabase(server.url);
      const api = await startTestApp(db.url, { env: { REQUEST_LOG_FLUSH_INTERVAL_MS: '60000' } });
      const writer = api.app.get(RequestLogWriter);
      try {
        await server.stop();

        // Act: requests while the database is away, and a flush that cannot write
        for (let i = 0; i < 12; i += 1) {
          await api.inject({ url: `/nothing-here/${i}`, headers: { 'x-request-id': `down-${i}` } });
        }
        await writer.flush();
        const pendingWhileDown = writer.pending;
        await server.start();
        await eventually(
          async () => {
            await writer.flush();
            return writer.pending;
          },
          (pending) => pending === 0,
          20_000,
          200,
        );
        const rows = await db.query<{ request_id: string }>(
          "SELECT request_id FROM request_log WHERE request_id LIKE 'down-%' ORDER BY id",
        );

        // Assert
        expect(pendingWhileDown).toBe(12);
        expect(rows.map((r) => r.request_id)).toEqual(
          Array.from({ length: 12 }, (_, i) => `down-${i}`),
        );
        expect(writer.totals.dropped).toEqual({ buffer_full: 0, rejected: 0, shutdown: 0 });
      } finally {
        await api.close();
      }
    });
  });
});
