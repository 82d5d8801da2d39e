import { SERVICE_ROUTES, statusClassOf } from '@prod-e/api-config';

import type { EmfDistribution, EmfDocument } from '../src/metrics/emf-document';
import { EmfPublisher } from '../src/metrics/emf-publisher';
import { MetricsService } from '../src/metrics/metrics.service';
import { RequestLogWriter } from '../src/requests/request-log.writer';
import { emfProblems } from './support/emf-specification';
import { type TestApp, startTestApp } from './support/test-app';
import { type TestDatabase, createTestDatabase } from './support/test-database';

/** An interval far longer than the spec: only explicit publishes and the shutdown flush write. */
const EMF_ON = { METRICS_EMF: 'true', METRICS_EMF_INTERVAL_MS: '3600000' };

type Totals = Map<string, number>;

/** Prometheus requests (and histogram observations) by route template and status class. */
async function prometheusTotals(metrics: MetricsService): Promise<{
  requests: Totals;
  observations: Totals;
}> {
  const json = await metrics.registry.getMetricsAsJSON();
  const requests: Totals = new Map();
  const observations: Totals = new Map();
  const add = (totals: Totals, labels: Record<string, unknown>, value: number) => {
    const key = `${String(labels.route)} ${statusClassOf(Number(labels.status_code))}`;
    totals.set(key, (totals.get(key) ?? 0) + value);
  };
  for (const metric of json) {
    for (const sample of metric.values) {
      const name = (sample as { metricName?: string }).metricName ?? metric.name;
      if (name === 'http_requests_total') add(requests, sample.labels, sample.value);
      if (name === 'http_request_duration_seconds_count') {
        add(observations, sample.labels, sample.value);
      }
    }
  }
  return { requests, observations };
}

const counterValue = async (metrics: MetricsService, name: string) =>
  (await metrics.registry.getMetricsAsJSON())
    .find((m) => m.name === name)
    ?.values.reduce((sum, v) => sum + v.value, 0) ?? 0;

const routeLines = (docs: EmfDocument[]) => docs.filter((d) => typeof d.Route === 'string');
const processLine = (docs: EmfDocument[]) => docs.find((d) => d.Route === undefined);
const countOf = (latency: unknown) =>
  (latency as EmfDistribution).Counts.reduce((sum, count) => sum + count, 0);

describe('EMF metrics from the running API, against PostgreSQL', () => {
  let db: TestDatabase;
  let api: TestApp;
  /** EMF lines the API wrote to stdout (they go nowhere else). */
  const emitted: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  let stdout: jest.SpyInstance;

  beforeAll(async () => {
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk, ...rest) => {
      if (String(chunk).startsWith('{"_aws"')) return emitted.push(String(chunk)) > 0;
      return write(chunk, ...(rest as []));
    });
    db = await createTestDatabase();
    api = await startTestApp(db.url, { env: EMF_ON });
  });

  afterAll(async () => {
    stdout.mockRestore();
    await db.drop();
  });

  it('alarm on exactly the routes the API serves under /api', async () => {
    const openApi = (await api.inject({ method: 'GET', url: '/docs-json' })).json<{
      paths: Record<string, unknown>;
    }>();
    const served = Object.keys(openApi.paths).filter((path) => path.startsWith('/api/'));
    expect([...SERVICE_ROUTES].sort()).toEqual(served.sort());
  });

  it('match the Prometheus counters after a known load, and flush the rest on shutdown', async () => {
    // Arrange: a known load on three routes and two status classes besides 200
    const metrics = api.app.get(MetricsService);
    const publisher = api.app.get(EmfPublisher);
    await publisher.publish(); // start-up traffic (migrations, connects) out of the way
    const load = [
      ...Array.from({ length: 12 }, () => '/api/requests?limit=5'),
      ...Array.from({ length: 4 }, () => '/api/requests/stats'),
      ...Array.from({ length: 3 }, () => '/api/requests?limit=banana'), // 400
      ...Array.from({ length: 5 }, () => '/no/such/path'), // 404, (unmatched)
      '/health',
    ];
    const before = await prometheusTotals(metrics);
    const writtenBefore = await counterValue(metrics, 'request_log_written_total');
    for (const url of load) await api.inject({ method: 'GET', url });
    await api.app.get(RequestLogWriter).flush();

    // Act
    const emittedBefore = emitted.length;
    const docs = await publisher.publish();
    expect(emitted.slice(emittedBefore).map((line) => JSON.parse(line) as unknown)).toEqual(docs);

    // Assert: every line keeps the specification
    expect(docs.flatMap((doc) => emfProblems(JSON.stringify(doc)))).toEqual([]);
    // Requests and latency observations per route and class equal the Prometheus increases
    const after = await prometheusTotals(metrics);
    const increase = (totals: 'requests' | 'observations') =>
      new Map(
        [...after[totals]]
          .map(([key, value]) => [key, value - (before[totals].get(key) ?? 0)] as const)
          .filter(([, value]) => value > 0),
      );
    const reported = new Map(
      routeLines(docs).map((d) => [`${String(d.Route)} ${String(d.StatusClass)}`, d.Requests]),
    );
    expect(reported).toEqual(increase('requests'));
    const latencyCounts = new Map(
      routeLines(docs).map((d) => [
        `${String(d.Route)} ${String(d.StatusClass)}`,
        countOf(d.Latency),
      ]),
    );
    expect(latencyCounts).toEqual(increase('observations'));
    expect(reported.get('/api/requests 2xx')).toBe(12);
    expect(reported.get('/api/requests 4xx')).toBe(3);
    expect(reported.get('(unmatched) 4xx')).toBe(5);
    // The request log and the database probe, from the same registry
    const written = (await counterValue(metrics, 'request_log_written_total')) - writtenBefore;
    expect(written).toBe(12 + 4 + 3 + 5);
    expect(processLine(docs)).toMatchObject({
      RequestLogWritten: written,
      RequestLogDropped: 0,
      RequestLogBuffered: 0,
      RequestLogWriterLag: 0,
      HealthStatus: 1,
      DatabaseProbeFailures: 0,
    });
    expect(processLine(docs)?.DatabaseProbes).toBeGreaterThanOrEqual(1);

    // Act: two more requests, then shutdown
    await api.inject({ method: 'GET', url: '/api/requests' });
    await api.inject({ method: 'GET', url: '/api/requests' });
    const beforeShutdown = emitted.length;
    await api.close();

    // Assert: the shutdown flush carried them and the request log's last write
    const flushed = emitted.slice(beforeShutdown).map((line) => JSON.parse(line) as EmfDocument);
    expect(flushed.length).toBeGreaterThan(0);
    expect(flushed.find((d) => d.Route === '/api/requests')).toMatchObject({
      StatusClass: '2xx',
      Requests: 2,
    });
    expect(processLine(flushed)).toMatchObject({ RequestLogWritten: 2 });
  });
});
