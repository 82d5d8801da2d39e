import { parseHealth } from '@prod-e/health-contract';

import { MetricsListener } from '../src/metrics/metrics-listener';
import { RequestLogWriter } from '../src/requests/request-log.writer';
import { type TestDatabase, createTestDatabase } from './support/test-database';
import { type TestApp, startTestApp } from './support/test-app';

const CURRENT = 'current-token-0123456789';
const PREVIOUS = 'previous-token-0123456789';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('HTTP surface', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db.drop();
  });

  describe('with auth on and a rotated token list', () => {
    let api: TestApp;

    beforeAll(async () => {
      api = await startTestApp(db.url, {
        env: {
          API_AUTH: 'on',
          API_TOKENS: `${CURRENT},${PREVIOUS}`,
          REQUEST_LOG_FLUSH_INTERVAL_MS: '60000',
        },
        captureLogs: 'info',
      });
    });

    afterAll(async () => {
      await api.close();
    });

    it.each(['/api/requests', '/api/requests/stats', '/docs-json'])(
      '%s without a token answers 401 JSON with WWW-Authenticate: Bearer',
      async (url) => {
        // Act
        const response = await api.inject({ url });

        // Assert
        expect(response.statusCode).toBe(401);
        expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
        expect(response.json()).toEqual({
          statusCode: 401,
          error: 'Unauthorized',
          message: 'A valid bearer token is required',
        });
      },
    );

    it('a wrong or malformed token gets the same 401 as a missing one', async () => {
      // Act
      const wrong = await api.inject({
        url: '/api/requests',
        headers: bearer('wrong-token-0123456789'),
      });
      const malformed = await api.inject({
        url: '/api/requests',
        headers: { authorization: CURRENT },
      });

      // Assert
      expect([wrong.statusCode, malformed.statusCode]).toEqual([401, 401]);
      expect(wrong.body).toBe(malformed.body);
    });

    it('both the current and the previous token are accepted during a rotation', async () => {
      // Act
      const current = await api.inject({ url: '/api/requests', headers: bearer(CURRENT) });
      const previous = await api.inject({ url: '/api/requests/stats', headers: bearer(PREVIOUS) });
      const docs = await api.inject({ url: '/docs-json', headers: bearer(CURRENT) });

      // Assert
      expect([current.statusCode, previous.statusCode, docs.statusCode]).toEqual([200, 200, 200]);
    });

    it('health endpoints stay open without a token', async () => {
      // Act
      const health = await api.inject({ url: '/health' });
      const live = await api.inject({ url: '/health/live' });

      // Assert
      expect(health.statusCode).toBe(200);
      expect(parseHealth(health.body).ok).toBe(true);
      expect(live.statusCode).toBe(200);
    });

    it('tokens appear neither in the log output nor in the request log', async () => {
      // Arrange
      await api.inject({ url: '/api/requests', headers: bearer(CURRENT) });
      await api.inject({ url: '/api/requests', headers: bearer('leaked-attempt-0123456789') });

      // Act
      await api.app.get(RequestLogWriter).flush();
      const rows = await db.query('SELECT * FROM request_log');
      const logText = api.logs.join('');

      // Assert
      expect(logText).toContain('/api/requests'); // requests were logged...
      expect(logText).toContain('[redacted]'); // ...with the header censored
      for (const secret of [CURRENT, PREVIOUS, 'leaked-attempt-0123456789']) {
        expect(logText).not.toContain(secret);
        expect(JSON.stringify(rows)).not.toContain(secret);
      }
    });
  });

  describe('with default settings (auth off outside production)', () => {
    let api: TestApp;

    beforeAll(async () => {
      api = await startTestApp(db.url, {
        env: {
          BODY_LIMIT_BYTES: '1024',
          CORS_ORIGINS: 'https://console.example.com',
        },
      });
    });

    afterAll(async () => {
      await api.close();
    });

    it('sets security headers and no x-powered-by', async () => {
      // Act
      const response = await api.inject({ url: '/health/live' });

      // Assert
      expect(response.headers['x-powered-by']).toBeUndefined();
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['strict-transport-security']).toBeDefined();
      expect(response.headers['x-request-id']).toEqual(expect.any(String));
    });

    it('allows CORS only for the configured origins', async () => {
      // Act
      const allowed = await api.inject({
        url: '/health/live',
        headers: { origin: 'https://console.example.com' },
      });
      const other = await api.inject({
        url: '/health/live',
        headers: { origin: 'https://evil.example.com' },
      });

      // Assert
      expect(allowed.headers['access-control-allow-origin']).toBe('https://console.example.com');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('answers 400 to malformed JSON and 413 to an oversized body, never 5xx', async () => {
      // Act
      const malformed = await api.inject({
        method: 'POST',
        url: '/api/requests',
        headers: { 'content-type': 'application/json' },
        payload: '{"broken":',
      });
      const oversized = await api.inject({
        method: 'POST',
        url: '/api/requests',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ filler: 'x'.repeat(2048) }),
      });

      // Assert
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json()).toMatchObject({ statusCode: 400 });
      expect(oversized.statusCode).toBe(413);
      expect(oversized.json()).toMatchObject({ statusCode: 413 });
    });

    it('answers unknown routes with 404 JSON and no stack trace', async () => {
      // Act
      const response = await api.inject({ url: '/does/not/exist' });

      // Assert
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
      expect(response.body).not.toMatch(/at .*\.(js|ts):\d+/);
    });

    it('publishes an OpenAPI document listing every endpoint, health schemas included', async () => {
      // Act
      const response = await api.inject({ url: '/docs-json' });
      const ui = await api.inject({ url: '/docs' });

      // Assert
      expect(ui.statusCode).toBe(200);
      const document = response.json();
      expect(Object.keys(document.paths).sort()).toEqual([
        '/api/requests',
        '/api/requests/stats',
        '/health',
        '/health/live',
      ]);
      expect(Object.keys(document.components.schemas)).toEqual(
        expect.arrayContaining([
          'HealthResponseDto',
          'LivenessResponseDto',
          'RequestLogPageDto',
          'RequestStatsDto',
        ]),
      );
      expect(document.paths['/health'].get.responses['503']).toBeDefined();
      expect(document.components.securitySchemes.bearer).toMatchObject({ scheme: 'bearer' });
    });

    it('keeps connections open past the ALB idle timeout (keepAlive 65 s, headers 66 s)', () => {
      // Act
      const server = api.app.getHttpServer();

      // Assert
      expect(server.keepAliveTimeout).toBe(65_000);
      expect(server.headersTimeout).toBe(66_000);
    });
  });

  describe('with metrics and docs turned off', () => {
    it('opens no metrics listener, and /docs and /docs-json are 404', async () => {
      // Arrange
      const api = await startTestApp(db.url, {
        env: { METRICS_ENABLED: 'false', DOCS_ENABLED: 'false' },
      });

      try {
        // Act
        const statuses = await Promise.all(
          ['/docs', '/docs-json'].map(async (url) => (await api.inject({ url })).statusCode),
        );

        // Assert
        expect(statuses).toEqual([404, 404]);
        expect(() => api.app.get(MetricsListener)).toThrow();
      } finally {
        await api.close();
      }
    });
  });
});
