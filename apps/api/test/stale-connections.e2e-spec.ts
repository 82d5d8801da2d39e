import { startTcpProxy, type TcpProxy } from './support/tcp-proxy';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Pooled connections that died while idle (a failover, a NAT or security-group timeout, a
 * rotation that terminates sessions): the pool still holds them, and only the next query finds
 * out. Request-log reads are plain SELECTs, so the API runs them again on a fresh connection
 * instead of answering 503 for a connection the client never saw.
 */
describe('request-log reads on pooled connections that died while idle', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let api: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    proxy = await startTcpProxy(db.url);
    api = await startTestApp(proxy.url, {
      env: { DB_ANALYTICS_POOL_MAX: '2', RATE_LIMIT_MAX: '1000' },
    });
  });

  afterAll(async () => {
    await api.close();
    await proxy.close();
    await db.drop();
  });

  /** Fills the analytics pool: both of its connections open and idle. */
  async function openEveryAnalyticsConnection(): Promise<void> {
    const reads = await Promise.all(
      Array.from({ length: 4 }, () => api.inject({ url: '/api/requests/stats?window=1h' })),
    );
    expect(reads.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
  }

  it('answers 200 when the connection it picks is dead', async () => {
    await openEveryAnalyticsConnection();
    proxy.breakOpenConnections();

    const page = await api.inject({ url: '/api/requests?limit=5' });

    expect(page.statusCode).toBe(200);
  });

  it('answers 200 to parallel reads when every pooled connection is dead', async () => {
    await openEveryAnalyticsConnection();
    proxy.breakOpenConnections();

    const reads = await Promise.all([
      api.inject({ url: '/api/requests?limit=5' }),
      api.inject({ url: '/api/requests/stats?window=1h' }),
      api.inject({ url: '/api/requests?limit=5' }),
    ]);

    expect(reads.map((r) => r.statusCode)).toEqual([200, 200, 200]);
  });
});
