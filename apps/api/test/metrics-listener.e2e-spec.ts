import { METRICS_PATH } from '@prod-e/health-contract';
import { connect } from 'node:net';

import { keepAliveAgent, send } from './support/http-client';
import { type TestDatabase, createTestDatabase } from './support/test-database';
import { PRODUCTION_TOKEN, type TestApp, productionEnv, startTestApp } from './support/test-app';

const authorized = { authorization: `Bearer ${PRODUCTION_TOKEN}` };

/** Spellings a router or a proxy might take for METRICS_PATH. */
const METRICS_SPELLINGS = [
  METRICS_PATH,
  '/%6detrics',
  '/%6D%65%74%72%69%63%73',
  '/METRICS',
  '/Metrics',
  `${METRICS_PATH}/`,
  `/${METRICS_PATH}`,
  `${METRICS_PATH}?format=prometheus`,
  `/.${METRICS_PATH}`,
  `/api/..${METRICS_PATH}`,
  '/%2Fmetrics',
];

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('Prometheus metrics on their own port (production mode)', () => {
  let db: TestDatabase;
  let api: TestApp;
  let metricsUrl: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startTestApp(db.url, { listen: true, env: productionEnv() });
    metricsUrl = `http://127.0.0.1:${api.metricsPort}`;
  });

  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  it('listens on a port of its own, not the API port', () => {
    expect(api.metricsPort).toEqual(expect.any(Number));
    expect(api.url).not.toBe(metricsUrl);
  });

  it.each(METRICS_SPELLINGS)(
    'the API port answers %s with 404, with or without a token',
    async (path) => {
      // Act
      const anonymous = await send(api.url!, path);
      const withToken = await send(api.url!, path, { headers: authorized });

      // Assert
      expect([anonymous.status, withToken.status]).toEqual([404, 404]);
      expect(withToken.body).not.toContain('http_requests_total');
    },
  );

  it('serves the counters without a token: requests by route template, pools, health, dropped log entries', async () => {
    // Arrange
    await send(api.url!, '/health');
    await send(api.url!, '/does/not/exist/42');
    await send(api.url!, '/api/requests?limit=1', { headers: authorized });

    // Act
    const response = await send(metricsUrl, METRICS_PATH);

    // Assert
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.headers['cache-control']).toBe('no-store');
    const text = response.body;
    expect(text).toMatch(
      /^http_requests_total\{method="GET",route="\/health",status_code="200"\} \d+/m,
    );
    expect(text).toMatch(
      /^http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/health"/m,
    );
    expect(text).toMatch(
      /^http_requests_total\{method="GET",route="\/api\/requests",status_code="200"\} 1$/m,
    );
    expect(text).toMatch(
      /^http_requests_total\{method="GET",route="\(unmatched\)",status_code="404"\}/m,
    );
    expect(text).not.toContain('/does/not/exist');
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^db_pool_connections\{state="total"\} [1-9]/m);
    expect(text).toMatch(/^db_pool_connections\{state="idle"\} \d+/m);
    expect(text).toMatch(/^db_pool_connections\{state="waiting"\} \d+/m);
    expect(text).toMatch(/^health_status 1$/m);
    expect(text).toMatch(/^request_log_dropped_total\{reason="buffer_full"\} 0$/m);
    expect(text).toMatch(/^request_log_dropped_total\{reason="rejected"\} 0$/m);
  });

  it('answers only GET and HEAD of its one path', async () => {
    // Act
    const head = await send(metricsUrl, METRICS_PATH, { method: 'HEAD' });
    const post = await send(metricsUrl, METRICS_PATH, { method: 'POST' });
    const other = await send(metricsUrl, '/health');

    // Assert
    expect([head.status, head.body]).toEqual([200, '']);
    expect([post.status, post.headers.allow]).toEqual([405, 'GET, HEAD']);
    expect(other.status).toBe(404);
    expect(JSON.parse(other.body)).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('closes on shutdown, a scraper keep-alive connection included', async () => {
    // Arrange
    const own = await createTestDatabase();
    const started = await startTestApp(own.url, { listen: true, env: productionEnv() });
    const port = started.metricsPort!;
    const agent = keepAliveAgent();
    const scrape = await send(`http://127.0.0.1:${port}`, METRICS_PATH, { agent });

    try {
      // Act
      await started.close();

      // Assert
      expect(scrape.status).toBe(200);
      expect(await refusesConnections(port)).toBe(true);
    } finally {
      agent.destroy();
      await own.drop();
    }
  });
});
