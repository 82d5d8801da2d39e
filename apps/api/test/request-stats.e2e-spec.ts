import { RequestLogWriter } from '../src/requests/request-log.writer';
import { type TestDatabase, createTestDatabase } from './support/test-database';
import { type TestApp, startTestApp } from './support/test-app';

/** percentile_cont over raw values. */
function exact(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = fraction * (sorted.length - 1);
  const lower = Math.floor(position);
  return sorted[lower] + (sorted[Math.ceil(position)] - sorted[lower]) * (position - lower);
}

describe('statistics over long windows (hourly histograms the writer keeps)', () => {
  let db: TestDatabase;
  let api: TestApp;
  const durations = Array.from({ length: 600 }, (_, i) => 1 + ((i * 37) % 600) ** 1.5 / 10);

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startTestApp(db.url, {
      env: { REQUEST_LOG_FLUSH_INTERVAL_MS: '60000', REQUEST_LOG_BATCH_SIZE: '50' },
    });
    const writer = api.app.get(RequestLogWriter);
    const now = Date.now();
    durations.forEach((durationMs, i) =>
      writer.record({
        method: 'GET',
        route: '/api/slow',
        statusCode: i % 10 === 0 ? 500 : i % 10 === 1 ? 404 : 200,
        durationMs,
        requestId: `h-${i}`,
        // Spread over the last three hours, so several hourly rows are merged.
        createdAt: new Date(now - (i % 3) * 3_600_000 - 1_000),
      }),
    );
    await writer.flush();
  });

  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  it('keeps the histograms in step with the rows, batch by batch', async () => {
    // Act
    const [raw] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM request_log WHERE route = '/api/slow'",
    );
    const [rolled] = await db.query<{ n: number; hours: number }>(
      "SELECT sum(count)::int AS n, count(DISTINCT hour)::int AS hours FROM request_log_hourly WHERE route = '/api/slow'",
    );

    // Assert
    expect(raw.n).toBe(durations.length);
    expect(rolled.n).toBe(durations.length);
    expect(rolled.hours).toBeGreaterThanOrEqual(3);
  });

  it('answers a 6 h window from them: exact counts and rates, percentiles within 8 %', async () => {
    // Act
    const response = await api.inject({ url: '/api/requests/stats?window=6h' });

    // Assert
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.percentiles).toBe('histogram');
    expect(new Date(body.from).getUTCMinutes()).toBe(0); // whole hours
    const slow = body.routes.find((r: { route: string }) => r.route === '/api/slow');
    expect(slow).toMatchObject({ count: 600, errorRate: 0.1, clientErrorRate: 0.1 });
    for (const [key, fraction] of [
      ['p50Ms', 0.5],
      ['p95Ms', 0.95],
      ['p99Ms', 0.99],
    ] as const) {
      expect(Math.abs(slow[key] / exact(durations, fraction) - 1)).toBeLessThan(0.08);
    }
  });

  it('answers windows up to an hour exactly from the rows', async () => {
    // Act
    const body = (await api.inject({ url: '/api/requests/stats?window=1h' })).json();

    // Assert: only the third of the rows from the last hour
    const recent = durations.filter((_, i) => i % 3 === 0);
    const slow = body.routes.find((r: { route: string }) => r.route === '/api/slow');
    expect(body.percentiles).toBe('exact');
    expect(slow.count).toBe(recent.length);
    expect(slow.p50Ms).toBeCloseTo(exact(recent, 0.5), 6);
  });
});
