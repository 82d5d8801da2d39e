import { METHODS } from 'node:http';

import {
  REQUEST_LOG_COLUMNS,
  REQUEST_LOG_COLUMN_LENGTHS,
} from '../src/requests/request-log-columns';
import { RequestLogWriter } from '../src/requests/request-log.writer';
import { type TestDatabase, createTestDatabase } from './support/test-database';
import { type TestApp, startTestApp } from './support/test-app';

const FLUSH_ONLY_ON_DEMAND = { REQUEST_LOG_FLUSH_INTERVAL_MS: '60000' };

const droppedMetric = (metrics: string, reason: string) =>
  Number(
    new RegExp(`^request_log_dropped_total\\{reason="${reason}"\\} (\\d+)`, 'm').exec(metrics)?.[1],
  );

describe('request log writer against PostgreSQL', () => {
  let db: TestDatabase;
  let api: TestApp;

  // One app per file: nestjs-pino binds its root logger once per process.
  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startTestApp(db.url, { env: FLUSH_ONLY_ON_DEMAND, captureLogs: 'info' });
  });

  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  beforeEach(async () => {
    await api.app.get(RequestLogWriter).flush(); // nothing of an earlier test left buffered
    await db.query('TRUNCATE request_log');
    api.logs.splice(0);
  });

  const rows = () =>
    db.query<{ method: string; request_id: string; status_code: number }>(
      'SELECT method, request_id, status_code FROM request_log ORDER BY id',
    );

  describe('the migrated table, the writer and the limits at the edge', () => {
    it('agree on every column: name, type, length and NOT NULL, in the order the writer inserts', async () => {
      // Act
      const migrated = await db.query<{ column: string; type: string; length: number | null }>(
        `SELECT column_name AS column, udt_name AS type, character_maximum_length AS length
           FROM information_schema.columns
          WHERE table_name = 'request_log' AND column_name <> 'id' AND is_nullable = 'NO'
          ORDER BY ordinal_position`,
      );

      // Assert
      expect(migrated).toEqual(
        REQUEST_LOG_COLUMNS.map((c) => ({
          column: c.column,
          type: c.type,
          length: 'length' in c ? c.length : null,
        })),
      );
    });

    it('size the hourly histograms like request_log, and every method Node accepts fits', async () => {
      // Act
      const hourly = await db.query<{ column_name: string; length: number }>(
        `SELECT column_name, character_maximum_length AS length FROM information_schema.columns
          WHERE table_name = 'request_log_hourly' AND data_type = 'character varying'`,
      );

      // Assert
      const { method, route } = REQUEST_LOG_COLUMN_LENGTHS;
      expect(Object.fromEntries(hourly.map((c) => [c.column_name, c.length]))).toEqual({
        method,
        route,
      });
      expect(Math.max(...METHODS.map((m) => m.length))).toBeLessThanOrEqual(method);
    });

    it('keeps an incoming X-Request-Id exactly as long as the column, and replaces a longer one', async () => {
      // Act
      const longest = 'r'.repeat(REQUEST_LOG_COLUMN_LENGTHS.requestId);
      const kept = await api.inject({ url: '/nowhere', headers: { 'x-request-id': longest } });
      const replaced = await api.inject({
        url: '/nowhere',
        headers: { 'x-request-id': `${longest}r` },
      });

      // Assert
      expect(kept.headers['x-request-id']).toBe(longest);
      expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('a request with an 11-character method (UNSUBSCRIBE)', () => {
    it('is written like any other, and so are the requests around it', async () => {
      // Act
      await api.inject({ url: '/api/requests?limit=1', headers: { 'x-request-id': 'before' } });
      await api.inject({
        method: 'UNSUBSCRIBE',
        url: '/api/requests',
        headers: { 'x-request-id': 'odd' },
      });
      await api.inject({ url: '/api/requests?limit=1', headers: { 'x-request-id': 'after' } });
      await api.app.get(RequestLogWriter).flush();

      // Assert
      expect((await rows()).map((r) => [r.method, r.request_id])).toEqual([
        ['GET', 'before'],
        ['UNSUBSCRIBE', 'odd'],
        ['GET', 'after'],
      ]);
      expect(api.app.get(RequestLogWriter).pending).toBe(0);
    });
  });

  describe('a batch holding rows PostgreSQL rejects', () => {
    it('writes every other row, drops the bad ones, counts them by reason and logs each once', async () => {
      // Arrange: 20 entries, two of which no smallint column can hold
      const writer = api.app.get(RequestLogWriter);
      for (let i = 0; i < 20; i += 1) {
        writer.record({
          method: 'GET',
          route: '/api/requests',
          statusCode: i === 3 || i === 17 ? 70_000 : 200,
          durationMs: i,
          requestId: `row-${i}`,
          createdAt: new Date(),
        });
      }

      // Act: two flushes; the second must find nothing left to retry
      await writer.flush();
      await writer.flush();
      const metrics = await api.scrape();

      // Assert
      const written = (await rows()).map((r) => r.request_id).filter((id) => id.startsWith('row-'));
      expect(written).toEqual(
        Array.from({ length: 20 }, (_, i) => `row-${i}`).filter(
          (id) => id !== 'row-3' && id !== 'row-17',
        ),
      );
      expect(writer.pending).toBe(0);
      expect(writer.totals.dropped.rejected).toBe(2);
      expect(droppedMetric(metrics, 'rejected')).toBe(2);
      const dropLines = api.logs.filter((line) => line.includes('request log entry dropped'));
      expect(dropLines).toHaveLength(2);
      expect(dropLines.join('\n')).toMatch(/out of range/);
      expect(dropLines.join('\n')).toContain('request row-3');
    });
  });

  describe('strings longer than their columns or holding NUL', () => {
    it('are cut to fit and cleaned before they are buffered, so the row is written', async () => {
      // Arrange
      const writer = api.app.get(RequestLogWriter);
      const rejectedBefore = writer.totals.dropped.rejected;

      // Act
      writer.record({
        method: 'X'.repeat(40),
        route: `/api/${'r'.repeat(400)}\0`,
        statusCode: 200,
        durationMs: 1,
        requestId: `id\0${'i'.repeat(200)}`,
        createdAt: new Date(),
      });
      await writer.flush();

      // Assert
      const [row] = await db.query<{ method: string; route: string; request_id: string }>(
        'SELECT method, route, request_id FROM request_log',
      );
      expect(row.method).toBe('X'.repeat(REQUEST_LOG_COLUMN_LENGTHS.method));
      expect(row.route).toHaveLength(REQUEST_LOG_COLUMN_LENGTHS.route);
      expect(row.request_id).toMatch(/^idi+$/);
      expect(row.request_id).toHaveLength(REQUEST_LOG_COLUMN_LENGTHS.requestId);
      expect(writer.totals.dropped.rejected).toBe(rejectedBefore);
    });
  });
});
