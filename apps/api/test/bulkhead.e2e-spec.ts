import { Client } from 'pg';

import { RequestLogWriter } from '../src/requests/request-log.writer';
import { type TestDatabase, createTestDatabase } from './support/test-database';
import { type TestApp, eventually, startTestApp } from './support/test-app';

/** More parallel statistics reads than the main pool (DB_POOL_MAX) has connections. */
const PARALLEL_READS = 16;

describe('request-log reads against health and the writer (bulkhead)', () => {
  let db: TestDatabase;
  let api: TestApp;
  let locker: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startTestApp(db.url, {
      env: {
        DB_POOL_MAX: '4',
        DB_ANALYTICS_POOL_MAX: '2',
        DB_ANALYTICS_QUEUE_MAX: '3',
        DB_ANALYTICS_STATEMENT_TIMEOUT_MS: '2000',
        HEALTH_CACHE_TTL_MS: '0',
        RATE_LIMIT_MAX: '1000',
        REQUEST_LOG_FLUSH_INTERVAL_MS: '60000',
      },
    });
    locker = new Client({ connectionString: db.url });
    await locker.connect();
  });

  afterAll(async () => {
    await locker.end();
    await api.close();
    await db.drop();
  });

  it('keeps /health at 200 while every analytics connection is stuck, and refuses reads past the queue', async () => {
    // Arrange: reads of request_log hang behind a lock (as a slow query would hold them)
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE request_log, request_log_hourly IN ACCESS EXCLUSIVE MODE');
    // Distinct windows: identical reads would share one query (the read cache), not fill the pool.
    const reads = Array.from({ length: PARALLEL_READS }, (_, i) =>
      api.inject({ url: `/api/requests/stats?window=${30 - i}d` }),
    );
    // Wait until the analytics pool is full and its queue holds what it may.
    await eventually(
      () => api.scrape(),
      (text) => /^db_analytics_pool_connections\{state="total"\} 2$/m.test(text),
      5_000,
      20,
    );

    // Act
    const health = await Promise.all(
      Array.from({ length: 5 }, () => api.inject({ url: '/health' })),
    );
    const mainPoolConnections = /^db_pool_connections\{state="total"\} (\d+)/m.exec(
      await api.scrape(),
    )?.[1];
    const statuses = (await Promise.all(reads)).map((r) => r.statusCode);
    await locker.query('COMMIT');

    // Assert: health used the main pool, which the reads never touched
    expect(health.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);
    expect(Number(mainPoolConnections)).toBeLessThanOrEqual(4);
    // 2 running and 3 queued reads were cancelled by the statement timeout, the other 11 were
    // refused at once: all 503 (retry later), none 500, none waiting without bound.
    expect(statuses).toEqual(Array(PARALLEL_READS).fill(503));
  });

  it('serves reads again once the lock is gone, and every one of those requests is in the log', async () => {
    // Act
    const stats = await api.inject({ url: '/api/requests/stats?window=30d' });
    await api.app.get(RequestLogWriter).flush();
    const [{ count }] = await db.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM request_log',
    );

    // Assert
    expect(stats.statusCode).toBe(200);
    expect(count).toBeGreaterThanOrEqual(PARALLEL_READS);
  });
});
