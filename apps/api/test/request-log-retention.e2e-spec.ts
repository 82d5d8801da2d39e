import { Client } from 'pg';

import { RETENTION_LOCK_KEY, RequestLogRetention } from '../src/requests/request-log-retention';
import { type TestDatabase, createTestDatabase } from './support/test-database';
import { type TestApp, eventually, startTestApp } from './support/test-app';

/** `count` rows `daysAgo` days old. */
const insertDaysAgo = (db: TestDatabase, daysAgo: number, count: number) =>
  db.query(
    `INSERT INTO request_log (method, route, status_code, duration_ms, request_id, created_at)
     SELECT 'GET', '/api/requests', 200, 1, 'aged-' || $1::int || '-' || n, now() - $1::int * interval '1 day'
       FROM generate_series(1, $2::int) AS n`,
    [daysAgo, count],
  );

const ages = (db: TestDatabase) =>
  db
    .query<{ days: number; count: number }>(
      `SELECT round(extract(epoch FROM now() - created_at) / 86400)::int AS days, count(*)::int AS count
         FROM request_log GROUP BY 1 ORDER BY 1`,
    )
    .then((rows) => Object.fromEntries(rows.map((r) => [r.days, r.count])));

describe('request log retention (REQUEST_LOG_RETENTION_DAYS)', () => {
  let db: TestDatabase;
  let api: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startTestApp(db.url, {
      env: { REQUEST_LOG_RETENTION_DAYS: '30', REQUEST_LOG_ENABLED: 'false' },
    });
    await api.app.get(RequestLogRetention).prune(); // the run at start-up, settled
  });

  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  beforeEach(() => db.query('TRUNCATE request_log, request_log_hourly'));

  it('deletes every row older than the window in bounded batches and keeps the rest', async () => {
    // Arrange
    await insertDaysAgo(db, 45, 120);
    await insertDaysAgo(db, 31, 30);
    await insertDaysAgo(db, 29, 20);
    await insertDaysAgo(db, 0, 10);
    await db.query(
      `INSERT INTO request_log_hourly
       SELECT date_trunc('hour', now() - d * interval '1 day', 'UTC'), 'GET', '/api/requests', 3, 1, 0, 0
         FROM unnest(ARRAY[45, 31, 29, 0]) AS d`,
    );

    // Act: batches of 25 rows, so seven DELETE statements
    const result = await api.app.get(RequestLogRetention).prune(new Date(), 25);

    // Assert
    expect(result).toEqual({ ran: true, deleted: 150 });
    expect(await ages(db)).toEqual({ 0: 10, 29: 20 });
    const hours = await db.query<{ days: number }>(
      `SELECT round(extract(epoch FROM now() - hour) / 86400)::int AS days
         FROM request_log_hourly ORDER BY 1`,
    );
    expect(hours.map((h) => h.days)).toEqual([0, 29]); // the histograms go with the rows
  });

  it('leaves the work to the instance that holds the lock', async () => {
    // Arrange: another instance is pruning
    await insertDaysAgo(db, 45, 10);
    const other = new Client({ connectionString: db.url });
    await other.connect();
    await other.query('SELECT pg_advisory_lock($1)', [RETENTION_LOCK_KEY]);
    try {
      // Act
      const result = await api.app.get(RequestLogRetention).prune();

      // Assert
      expect(result).toEqual({ ran: false, deleted: 0 });
      expect(await ages(db)).toEqual({ 45: 10 });
    } finally {
      await other.end();
    }
  });

  it('runs on its own once the service is connected', async () => {
    // Arrange: old rows already there when an instance starts
    await insertDaysAgo(db, 60, 5);
    await insertDaysAgo(db, 1, 5);

    // Act
    const started = await startTestApp(db.url, { env: { REQUEST_LOG_ENABLED: 'false' } });
    try {
      const { value } = await eventually(
        () => ages(db),
        (a) => a[60] === undefined,
        10_000,
      );

      // Assert
      expect(value).toEqual({ 1: 5 });
      const metrics = await started.scrape();
      expect(metrics).toMatch(/^request_log_retention_deleted_total 5$/m);
    } finally {
      await started.close();
    }
  });
});
