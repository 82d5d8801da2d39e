import type { EmfDocument } from '../src/metrics/emf-document';
import { EmfPublisher } from '../src/metrics/emf-publisher';
import { RequestLogWriter } from '../src/requests/request-log.writer';
import { type FaultServer, startFaultServer } from './support/dev-db-control';
import { emfProblems } from './support/emf-specification';
import { type TestApp, eventually, startTestApp } from './support/test-app';
import { createTestDatabase } from './support/test-database';

/** Ticks only when the spec says so; a short probe cache so a stopped server shows at once. */
const EMF_ON = {
  METRICS_EMF: 'true',
  METRICS_EMF_INTERVAL_MS: '3600000',
  HEALTH_CACHE_TTL_MS: '100',
};

const processLine = (docs: EmfDocument[]) => docs.find((d) => d.Route === undefined);
const healthLines = (docs: EmfDocument[]) => docs.filter((d) => d.Route === '/health');

/**
 * Real faults: a PostgreSQL server of the spec's own is stopped and started while the API runs,
 * and the interval's EMF lines must say so.
 */
describe('EMF metrics while PostgreSQL is away', () => {
  let server: FaultServer;
  let api: TestApp;
  const write = process.stdout.write.bind(process.stdout);
  let stdout: jest.SpyInstance;

  beforeAll(async () => {
    // The EMF lines go to stdout; the spec reads them from tick()'s answer instead.
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk, ...rest) => {
      if (String(chunk).startsWith('{"_aws"')) return true;
      return write(chunk, ...(rest as []));
    });
    server = await startFaultServer();
    const db = await createTestDatabase(server.url);
    api = await startTestApp(db.url, { env: EMF_ON });
  });

  afterAll(async () => {
    await api.close();
    stdout.mockRestore();
  });

  it('reports the failing probe and the waiting request log, then the recovery', async () => {
    // Arrange: a healthy interval first
    const publisher = api.app.get(EmfPublisher);
    const writer = api.app.get(RequestLogWriter);
    const healthy = await publisher.tick();
    await server.stop();
    await eventually(
      () => api.inject({ url: '/health' }),
      (r) => r.statusCode === 503,
      5_000,
      50,
    );

    // Act: traffic while the database is away, then one interval
    for (let i = 0; i < 5; i += 1) await api.inject({ url: '/api/requests/stats' });
    await writer.flush(); // fails: the entries wait in the buffer
    const down = await publisher.tick();

    // Act: the database returns, the log is written, one more interval
    await server.start();
    await eventually(
      () => api.inject({ url: '/health' }),
      (r) => r.statusCode === 200,
      10_000,
      100,
    );
    await eventually(
      async () => {
        await writer.flush();
        return writer.pending;
      },
      (pending) => pending === 0,
      10_000,
      100,
    );
    const recovered = await publisher.tick();

    // Assert
    for (const docs of [healthy, down, recovered]) {
      expect(docs.flatMap((doc) => emfProblems(JSON.stringify(doc)))).toEqual([]);
    }
    expect(processLine(healthy)).toMatchObject({ HealthStatus: 1, DatabaseProbeFailures: 0 });
    expect(processLine(down)).toMatchObject({ HealthStatus: 0, RequestLogDropped: 0 });
    expect(processLine(down)?.DatabaseProbeFailures).toBeGreaterThanOrEqual(1);
    expect(processLine(down)?.RequestLogBuffered).toBeGreaterThanOrEqual(5);
    expect(processLine(down)?.RequestLogWriterLag).toBeGreaterThan(0);
    expect(healthLines(down).find((d) => d.StatusClass === '5xx')?.Requests).toBeGreaterThan(0);
    expect(processLine(recovered)).toMatchObject({
      HealthStatus: 1,
      RequestLogBuffered: 0,
      RequestLogWriterLag: 0,
      RequestLogDropped: 0,
    });
    expect(processLine(recovered)?.RequestLogWritten).toBeGreaterThanOrEqual(5);
  });
});
