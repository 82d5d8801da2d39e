import { Client } from 'pg';

import { RequestLogWriter } from '../src/requests/request-log.writer';
import { type TestDatabase, createTestDatabase } from './support/test-database';
import { type TestApp, eventually, startTestApp } from './support/test-app';

interface Page {
  items: { route: string }[];
}

/** A row another task wrote (straight into the table, not through this app's writer). */
const insertForeignRow = (db: TestDatabase, route: string) =>
  db.query(
    `INSERT INTO request_log (method, route, status_code, duration_ms, request_id, created_at)
     VALUES ('GET', $1, 200, 1, 'other-task', now())`,
    [route],
  );

describe('request-log reads served again from memory (REQUEST_LOG_READ_CACHE_TTL_MS)', () => {
  let db: TestDatabase;
  let api: TestApp;
  const routes = async (url: string) =>
    (await api.inject({ url })).json<Page>().items.map((item) => item.route);

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startTestApp(db.url, {
      env: {
        REQUEST_LOG_READ_CACHE_TTL_MS: '60000',
        REQUEST_LOG_FLUSH_INTERVAL_MS: '60000',
        RATE_LIMIT_MAX: '1000',
      },
    });
  });

  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  it('runs one query for identical reads arriving together, and answers all of them', async () => {
    const locker = new Client({ connectionString: db.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE request_log IN ACCESS EXCLUSIVE MODE');
    const reads = Array.from({ length: 10 }, () =>
      api.inject({ url: '/api/requests?limit=3&route=/api/together' }),
    );
    const pool = await eventually(
      () => api.scrape(),
      (text) => /^db_analytics_pool_connections\{state="total"\} 1$/m.test(text),
      5_000,
      20,
    );
    await locker.query('COMMIT');
    await locker.end();

    expect(pool.value).toMatch(/^db_analytics_pool_connections\{state="waiting"\} 0$/m);
    expect((await Promise.all(reads)).map((r) => r.statusCode)).toEqual(Array(10).fill(200));
  });

  it("serves another task's new row only after the TTL, but this task's own rows right after its flush", async () => {
    const url = '/api/requests?limit=50';
    const before = await routes(url);
    await insertForeignRow(db, '/api/elsewhere');

    const cached = await routes(url);
    expect((await api.inject({ url: '/api/requests/stats' })).statusCode).toBe(200);
    await api.app.get(RequestLogWriter).flush();
    const afterFlush = await routes(url);

    expect(cached).toEqual(before);
    expect(afterFlush).toContain('/api/elsewhere');
    expect(afterFlush).toContain('/api/requests/stats');
  });
});
