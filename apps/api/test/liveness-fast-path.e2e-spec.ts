import { HEALTH_PATH, LIVENESS_PATH, parseLiveness } from '@prod-e/health-contract';
import type { IncomingHttpHeaders } from 'node:http';

import { HttpDrain } from '../src/services/lifecycle/http-drain';
import { ShutdownState } from '../src/services/lifecycle/shutdown-state.service';
import { keepAliveAgent, send } from './support/http-client';
import { type TestDatabase, createTestDatabase } from './support/test-database';
import { type TestApp, startTestApp } from './support/test-app';

const CONSOLE_ORIGIN = 'https://console.example.com';

/** Headers that differ per answer or per connection, whichever path answered. */
const PER_ANSWER = new Set(['date', 'x-request-id', 'connection', 'keep-alive']);

function stableHeaders(headers: IncomingHttpHeaders | Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([name]) => !PER_ANSWER.has(name))
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

/** The HTTP metrics' series for a route: request counts and duration buckets alike. */
function seriesOf(metricsText: string, route: string): string[] {
  return metricsText.split('\n').filter((line) => line.includes(`route="${route}"`));
}

/** Requests that went through Fastify: its first hook (HttpDrain's) sees each one end. */
function spyOnFastifyRequests(drain: HttpDrain): jest.SpyInstance {
  return jest.spyOn(drain as unknown as { requestEnded(): void }, 'requestEnded');
}

describe('liveness answered by the HTTP server', () => {
  let db: TestDatabase;
  let api: TestApp;
  let url: string;
  let fastifyRequests: jest.SpyInstance;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startTestApp(db.url, { listen: true, env: { CORS_ORIGINS: CONSOLE_ORIGIN } });
    url = api.url as string;
    fastifyRequests = spyOnFastifyRequests(api.app.get(HttpDrain));
  });

  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  beforeEach(() => fastifyRequests.mockClear());

  it('answers a plain GET before Fastify, with the status, body and headers of the Fastify route', async () => {
    // Act
    const fast = await send(url, LIVENESS_PATH);
    const routed = await api.inject({ url: LIVENESS_PATH });

    // Assert
    expect(fastifyRequests).toHaveBeenCalledTimes(1); // the inject only
    expect(fast.status).toBe(routed.statusCode);
    expect(parseLiveness(fast.body)).toMatchObject({ ok: true, value: { status: 'ok' } });
    expect(Object.keys(JSON.parse(fast.body))).toEqual(Object.keys(routed.json()));
    expect(stableHeaders(fast.headers)).toEqual(stableHeaders(routed.headers));
    expect(fast.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a probe with a query string and keeps a plain incoming request id; neither path puts probes in the HTTP metrics', async () => {
    // Act
    const answer = await send(url, `${LIVENESS_PATH}?from=alb`, {
      headers: { 'x-request-id': 'probe-42' },
    });
    await api.inject({ url: LIVENESS_PATH });
    await api.inject({ url: HEALTH_PATH });
    const metrics = await api.scrape();

    // Assert
    expect(fastifyRequests).toHaveBeenCalledTimes(2); // the injects only
    expect([answer.status, answer.headers['x-request-id']]).toEqual([200, 'probe-42']);
    expect(seriesOf(metrics, LIVENESS_PATH)).toEqual([]);
    expect(seriesOf(metrics, HEALTH_PATH)).not.toEqual([]); // the same scrape counts /health
  });

  it('hands cross-origin calls, HEAD, other methods and other paths to Fastify', async () => {
    // Act
    const crossOrigin = await send(url, LIVENESS_PATH, { headers: { origin: CONSOLE_ORIGIN } });
    const head = await send(url, LIVENESS_PATH, { method: 'HEAD' });
    const post = await send(url, LIVENESS_PATH, { method: 'POST' });
    const trailingSlash = await send(url, `${LIVENESS_PATH}/`);

    // Assert
    expect(fastifyRequests).toHaveBeenCalledTimes(4);
    expect(crossOrigin.status).toBe(200);
    expect(crossOrigin.headers['access-control-allow-origin']).toBe(CONSOLE_ORIGIN);
    expect([head.status, head.body]).toEqual([200, '']);
    expect([post.status, trailingSlash.status]).toEqual([404, 404]);
  });

  it('answers 503 shutting_down with Connection: close on an open connection once the drain begins, and the drain counts it', async () => {
    // Arrange: a connection opened before the shutdown, as the ALB keeps them.
    const own = await createTestDatabase();
    const draining = await startTestApp(own.url, { listen: true });
    const agent = keepAliveAgent();
    try {
      const before = await send(draining.url as string, LIVENESS_PATH, { agent });
      const routed = await draining.inject({ url: LIVENESS_PATH });
      const drain = draining.app.get(HttpDrain);
      const fastifyEnded = spyOnFastifyRequests(drain);
      const shutdown = draining.app.get(ShutdownState);
      const closing = draining.app.close();
      while (!shutdown.isShuttingDown) await new Promise((resolve) => setImmediate(resolve));

      // Act
      const during = await send(draining.url as string, LIVENESS_PATH, { agent });
      const routedDuring = await draining.inject({ url: LIVENESS_PATH });
      await closing;

      // Assert
      expect([before.status, before.headers.connection]).toEqual([200, 'keep-alive']);
      expect(stableHeaders(before.headers)).toEqual(stableHeaders(routed.headers)); // no CORS
      expect([during.status, during.headers.connection]).toEqual([503, 'close']);
      expect(parseLiveness(during.body)).toMatchObject({
        ok: true,
        value: { status: 'shutting_down' },
      });
      expect([routedDuring.statusCode, routedDuring.headers.connection]).toEqual([503, 'close']);
      expect(stableHeaders(during.headers)).toEqual(stableHeaders(routedDuring.headers));
      expect(fastifyEnded).toHaveBeenCalledTimes(1); // the inject only
      expect(drain.drained).toBe(2); // both, in the shutdown summary's "requests drained"
    } finally {
      agent.destroy();
      await own.drop();
    }
  });
});
