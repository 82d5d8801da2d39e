import { Client } from 'pg';

import { type TestDatabase, createTestDatabase } from './support/test-database';
import { type TestApp, startTestApp } from './support/test-app';
import { encodeCursor } from '../src/requests/request-cursor';
import { RequestLogWriter } from '../src/requests/request-log.writer';

interface Page {
  items: { id: string; route: string; statusCode: number; durationMs: number; timestamp: string }[];
  nextCursor: string | null;
}

/** Rows with known values, oldest first, one second apart, ending a minute ago. */
async function insertRows(
  db: TestDatabase,
  rows: { route: string; status: number; durationMs: number }[],
) {
  await db.query(
    `INSERT INTO request_log (method, route, status_code, duration_ms, request_id, created_at)
     SELECT 'GET', r.route, r.status, r.duration, 'fixture-' || r.n, now() - interval '1 minute' - (($4 - r.n) * interval '1 second')
       FROM unnest($1::text[], $2::int[], $3::float8[]) WITH ORDINALITY AS r(route, status, duration, n)`,
    [
      rows.map((r) => r.route),
      rows.map((r) => r.status),
      rows.map((r) => r.durationMs),
      rows.length,
    ],
  );
}

/** A cursor as the API encodes one, carrying any position (forged ones included). */
const cursorOf = (createdAt: string, id: string) => encodeCursor({ createdAt, id });

/** percentile_cont as PostgreSQL defines it (linear interpolation between closest ranks). */
function percentileCont(sorted: number[], fraction: number): number {
  const position = fraction * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

describe('request log API', () => {
  describe('GET /api/requests', () => {
    let db: TestDatabase;
    let api: TestApp;

    beforeAll(async () => {
      db = await createTestDatabase();
      api = await startTestApp(db.url);
      await insertRows(
        db,
        Array.from({ length: 25 }, (_, i) => ({
          route: i % 2 === 0 ? '/api/even' : '/api/odd',
          status: i % 5 === 0 ? 500 : 200,
          durationMs: i,
        })),
      );
    });

    afterAll(async () => {
      await api.close();
      await db.drop();
    });

    describe('with valid parameters', () => {
      it('pages through every row newest first with an opaque cursor', async () => {
        // Arrange
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;

        // Act
        do {
          const response = await api.inject({
            url: `/api/requests?limit=10&route=/api/${''}even${cursor ? `&cursor=${cursor}` : ''}`,
          });
          expect(response.statusCode).toBe(200);
          const page = response.json<Page>();
          seen.push(...page.items.map((item) => item.timestamp));
          cursor = page.nextCursor;
          pages += 1;
        } while (cursor);

        // Assert: 13 even rows in pages of 10 and 3, strictly newest first, no repeats
        expect(pages).toBe(2);
        expect(seen).toHaveLength(13);
        expect([...seen].sort().reverse()).toEqual(seen);
        expect(new Set(seen).size).toBe(13);
      });

      it('pages through rows that share a timestamp in id order, ids of one and two digits alike', async () => {
        // Arrange: twelve rows written in the same microsecond (one batch under load can)
        const tied = await createTestDatabase();
        const tiedApi = await startTestApp(tied.url, {
          env: { REQUEST_LOG_ENABLED: 'false' },
        });
        await tied.query(
          `INSERT INTO request_log (method, route, status_code, duration_ms, request_id, created_at)
           SELECT 'GET', '/api/tied', 200, 1, 'tied-' || g, '2026-01-01T00:00:00Z' FROM generate_series(1, 12) g`,
        );
        const ids: string[] = [];
        let cursor: string | null = null;

        // Act
        try {
          do {
            const page: Page = (
              await tiedApi.inject({
                url: `/api/requests?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
              })
            ).json<Page>();
            ids.push(...page.items.map((item) => item.id));
            cursor = page.nextCursor;
          } while (cursor && ids.length < 20);
        } finally {
          await tiedApi.close();
          await tied.drop();
        }

        // Assert: every row once, newest (highest id) first, 12 before 9
        expect(ids).toEqual(['12', '11', '10', '9', '8', '7', '6', '5', '4', '3', '2', '1']);
      });

      it('defaults to 50 rows and filters by status and since', async () => {
        // Arrange
        const since = new Date(Date.now() - 60_000 - 10_500).toISOString();

        // Act
        const all = (await api.inject({ url: '/api/requests' })).json<Page>();
        const errors = (await api.inject({ url: '/api/requests?status=500' })).json<Page>();
        const recent = (await api.inject({ url: `/api/requests?since=${since}` })).json<Page>();

        // Assert
        expect(
          all.items.filter((i) => i.route.startsWith('/api/e') || i.route.startsWith('/api/o')),
        ).toHaveLength(25);
        expect(errors.items.map((i) => i.durationMs).sort((a, b) => a - b)).toEqual([
          0, 5, 10, 15, 20,
        ]);
        expect(
          recent.items.filter((i) => i.route !== '/api/requests').length,
        ).toBeGreaterThanOrEqual(10);
        expect(recent.items.filter((i) => i.route !== '/api/requests').length).toBeLessThanOrEqual(
          11,
        );
      });
    });

    describe('with invalid parameters', () => {
      it.each([
        ['limit=0', 'limit'],
        ['limit=501', 'limit'],
        ['limit=ten', 'limit'],
        ['status=99', 'status'],
        ['status=abc', 'status'],
        ['since=yesterday', 'since'],
        ['cursor=not-a-cursor', 'cursor'],
        ['route=', 'route'],
        ['colour=blue', 'colour'],
        // Each of these once reached PostgreSQL and came back as a 500:
        ['since=0000-01-01T00:00:00Z', 'since'],
        ['since=2025-01-01T00:00:00-16:00', 'since'],
        ['since=2025-01-01T00:00:00%2B23:59', 'since'],
        ['since=2025-02-30T00:00:00Z', 'since'],
        [`cursor=${cursorOf('0000-01-01T00:00:00.000000Z', '1')}`, 'cursor'],
        [`cursor=${cursorOf('2025-01-01T00:00:00.000000Z', '9223372036854775808')}`, 'cursor'],
        ['route=%00', 'route'],
        ['route=/api/%00requests', 'route'],
        // Integers are plain decimal digits, nothing JavaScript's Number() would also take:
        ['limit=0x10', 'limit'],
        ['limit=1e2', 'limit'],
        ['limit=%2B5', 'limit'],
        ['limit=%205', 'limit'],
        ['limit=5.0', 'limit'],
        ['status=0x1F4', 'status'],
        ['limit=1&limit=2', 'limit'],
      ])('answers 400 naming the parameter for ?%s', async (query, parameter) => {
        // Act
        const response = await api.inject({ url: `/api/requests?${query}` });

        // Assert
        expect(response.statusCode).toBe(400);
        expect(response.json()).toMatchObject({
          statusCode: 400,
          message: expect.stringContaining(parameter),
          problems: [expect.objectContaining({ parameter })],
        });
      });

      it('names every bad parameter at once', async () => {
        // Act
        const response = await api.inject({ url: '/api/requests?limit=0&status=1' });

        // Assert
        expect(response.json().problems.map((p: { parameter: string }) => p.parameter)).toEqual([
          'limit',
          'status',
        ]);
      });
    });
  });

  describe('GET /api/requests/stats', () => {
    let db: TestDatabase;
    let api: TestApp;

    beforeAll(async () => {
      db = await createTestDatabase();
      api = await startTestApp(db.url, { env: { REQUEST_LOG_ENABLED: 'false' } });
    });

    afterAll(async () => {
      await api.close();
      await db.drop();
    });

    it('computes count, error rates and p50/p95/p99 per route from known durations', async () => {
      // Arrange: 20 requests on one route (2 server errors, 3 client errors), 1 on another
      const durations = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 1000];
      const statuses = durations.map((_, i) => (i < 2 ? 503 : i < 5 ? 404 : 200));
      await insertRows(db, [
        ...durations.map((durationMs, i) => ({
          route: '/api/busy',
          status: statuses[i],
          durationMs,
        })),
        { route: '/api/quiet', status: 200, durationMs: 7 },
      ]);
      const sorted = [...durations].sort((a, b) => a - b);

      // Act
      const response = await api.inject({ url: '/api/requests/stats?window=15m' });

      // Assert
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body.window).toBe('15m');
      expect(body.routes).toEqual([
        {
          method: 'GET',
          route: '/api/busy',
          count: 20,
          errorRate: 0.1,
          clientErrorRate: 0.15,
          p50Ms: percentileCont(sorted, 0.5),
          p95Ms: percentileCont(sorted, 0.95),
          p99Ms: percentileCont(sorted, 0.99),
        },
        expect.objectContaining({ route: '/api/quiet', count: 1, p50Ms: 7, p99Ms: 7 }),
      ]);
      expect(body.routes[0].p50Ms).toBe(15);
      expect(body.routes[0].p95Ms).toBeCloseTo(145);
    });

    it('leaves out requests older than the window', async () => {
      // Act
      const response = await api.inject({ url: '/api/requests/stats?window=30s' });

      // Assert: the inserted rows are at least a minute old
      expect(response.json().routes).toEqual([]);
    });

    it.each(['0m', '15', '1w', '31d', 'soon'])(
      'answers 400 naming window for window=%s',
      async (value) => {
        // Act
        const response = await api.inject({ url: `/api/requests/stats?window=${value}` });

        // Assert
        expect(response.statusCode).toBe(400);
        expect(response.json().problems).toEqual([
          expect.objectContaining({ parameter: 'window' }),
        ]);
      },
    );
  });

  describe('recording requests', () => {
    it('writes one row per request (route template, status, duration, request id) after a flush', async () => {
      // Arrange
      const db = await createTestDatabase();
      const api = await startTestApp(db.url, { env: { REQUEST_LOG_FLUSH_INTERVAL_MS: '60000' } });
      try {
        // Act
        for (let i = 0; i < 7; i += 1) {
          await api.inject({
            url: '/api/requests?limit=1',
            headers: { 'x-request-id': `req-${i}` },
          });
        }
        await api.inject({ url: '/api/requests?limit=0' });
        await api.inject({ url: '/no/such/path/123' });
        await api.inject({ url: '/health' });
        await api.app.get(RequestLogWriter).flush();
        const rows = await db.query<{
          route: string;
          status_code: number;
          request_id: string;
          duration_ms: number;
        }>('SELECT route, status_code, request_id, duration_ms FROM request_log ORDER BY id');

        // Assert
        expect(rows).toHaveLength(9);
        expect(rows.slice(0, 7).map((r) => r.request_id)).toEqual(
          Array.from({ length: 7 }, (_, i) => `req-${i}`),
        );
        expect(
          rows.slice(0, 7).every((r) => r.route === '/api/requests' && r.status_code === 200),
        ).toBe(true);
        expect(rows[7]).toMatchObject({ route: '/api/requests', status_code: 400 });
        expect(rows[8]).toMatchObject({ route: '(unmatched)', status_code: 404 });
        expect(rows.every((r) => r.duration_ms >= 0)).toBe(true);
      } finally {
        await api.close();
        await db.drop();
      }
    });

    it('loses nothing at shutdown: buffered entries are flushed when the app closes', async () => {
      // Arrange
      const db = await createTestDatabase();
      const api = await startTestApp(db.url, { env: { REQUEST_LOG_FLUSH_INTERVAL_MS: '60000' } });
      await Promise.all(
        Array.from({ length: 40 }, () => api.inject({ url: '/api/requests?limit=1' })),
      );
      const bufferedBeforeClose = api.app.get(RequestLogWriter).pending;

      // Act
      await api.close();
      const [{ count }] = await db.query<{ count: number }>(
        'SELECT count(*)::int AS count FROM request_log',
      );
      await db.drop();

      // Assert
      expect(bufferedBeforeClose).toBe(40);
      expect(count).toBe(40);
    });

    it('drops and counts entries when the buffer is full, without delaying requests', async () => {
      // Arrange: room for 5 entries, and no flush until the test asks
      const db = await createTestDatabase();
      const api = await startTestApp(db.url, {
        env: {
          REQUEST_LOG_BUFFER_SIZE: '5',
          REQUEST_LOG_BATCH_SIZE: '5',
          REQUEST_LOG_FLUSH_INTERVAL_MS: '60000',
        },
      });
      const writer = api.app.get(RequestLogWriter);
      // Block the table so the first batch's INSERT waits and the buffer cannot drain.
      const locker = new Client({ connectionString: db.url });
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE request_log IN ACCESS EXCLUSIVE MODE');
      try {
        // Act: requests that touch no table (404s), so only the log writer waits
        const statuses: number[] = [];
        for (let i = 0; i < 12; i += 1) {
          statuses.push((await api.inject({ url: `/nothing-here/${i}` })).statusCode);
        }
        const metrics = await api.scrape();
        await locker.query('COMMIT');
        await writer.flush();
        const [{ count }] = await db.query<{ count: number }>(
          'SELECT count(*)::int AS count FROM request_log',
        );

        // Assert: every request answered; 5 in the blocked batch + 5 buffered, 2 dropped and counted
        expect(statuses).toEqual(Array(12).fill(404));
        const dropped = Number(
          /^request_log_dropped_total\{reason="buffer_full"\} (\d+)/m.exec(metrics)?.[1],
        );
        expect(dropped).toBe(2);
        expect(count).toBe(10);
      } finally {
        await locker.end();
        await api.close();
        await db.drop();
      }
    });
  });
});
