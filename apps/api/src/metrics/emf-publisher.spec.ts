import {
  type ApiConfig,
  PROCESS_METRICS,
  ROUTE_METRICS,
  SERVICE_METRIC_DIMENSIONS,
} from '@prod-e/api-config';
import type { HttpAdapterHost } from '@nestjs/core';

import {
  MAX_DIMENSIONS_PER_SET,
  MAX_VALUES_PER_METRIC,
  emfProblems,
} from '../../test/support/emf-specification';
import type { EmfDocument } from './emf-document';
import { PROMETHEUS_SOURCES } from './emf-interval';
import { EmfPublisher } from './emf-publisher';
import { MetricsService } from './metrics.service';

const NAMESPACE = 'ProdE/test';

function setup(enabled = true) {
  const metrics = new MetricsService();
  const lines: string[] = [];
  const inject = jest.fn(() => Promise.resolve({ statusCode: 200 }));
  const adapterHost = {
    httpAdapter: { getInstance: () => ({ inject }) },
  } as unknown as HttpAdapterHost;
  const config = { emf: { enabled, intervalMs: 60_000, namespace: NAMESPACE } } as ApiConfig;
  const publisher = new EmfPublisher(metrics, config, adapterHost, {
    write: (line) => lines.push(line),
  });
  return { metrics, lines, inject, publisher };
}

const documents = (lines: string[]) => lines.map((line) => JSON.parse(line) as EmfDocument);
const routeLine = (docs: EmfDocument[], route: string, statusClass: string) =>
  docs.find((d) => d.Route === route && d.StatusClass === statusClass);
const processLine = (docs: EmfDocument[]) => docs.find((d) => d.Route === undefined);

afterEach(() => jest.useRealTimers());

describe('EmfPublisher', () => {
  it('reads only series the metrics service registers', async () => {
    const names = (await new MetricsService().registry.getMetricsAsJSON()).map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(Object.values(PROMETHEUS_SOURCES)));
  });

  it('writes lines that keep the EMF specification, one per route and status class', async () => {
    // Arrange
    const { metrics, lines, publisher } = setup();
    metrics.observeRequest('GET', '/api/requests', 200, 0.004);
    metrics.observeRequest('GET', '/api/requests', 200, 0.3);
    metrics.observeRequest('GET', '/api/requests', 503, 1.2);
    metrics.observeRequest('GET', '/api/requests/stats', 400, 0.002);

    // Act
    await publisher.publish();

    // Assert
    expect(lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(
      true,
    );
    expect(lines.flatMap((line) => emfProblems(line.trim()))).toEqual([]);
    const docs = documents(lines);
    expect(docs).toHaveLength(4);
    expect(routeLine(docs, '/api/requests', '2xx')).toMatchObject({
      Requests: 2,
      Latency: { Values: [5, 500], Counts: [1, 1] },
    });
    expect(routeLine(docs, '/api/requests', '5xx')).toMatchObject({
      Requests: 1,
      Latency: { Values: [2500], Counts: [1] },
    });
    expect(routeLine(docs, '/api/requests/stats', '4xx')).toMatchObject({ Requests: 1 });
    expect(
      docs.every((d) => d._aws.CloudWatchMetrics.every((c) => c.Namespace === NAMESPACE)),
    ).toBe(true);
  });

  it('uses no dimension but the route template and the status class', async () => {
    const { metrics, lines, publisher } = setup();
    metrics.observeRequest('POST', '(unmatched)', 404, 0.001);

    await publisher.publish();

    const used = new Set(
      documents(lines).flatMap((d) => d._aws.CloudWatchMetrics.flatMap((c) => c.Dimensions.flat())),
    );
    expect([...used].sort()).toEqual(Object.values(SERVICE_METRIC_DIMENSIONS).sort());
    const metricNames = documents(lines).flatMap((d) =>
      d._aws.CloudWatchMetrics.flatMap((c) => c.Metrics.map((m) => m.Name)),
    );
    const declared = [...Object.values(ROUTE_METRICS), ...Object.values(PROCESS_METRICS)];
    expect(declared.map((m) => m.name)).toEqual(expect.arrayContaining(metricNames));
  });

  it('reports increases since the previous interval, not totals', async () => {
    // Arrange
    const { metrics, lines, publisher } = setup();
    metrics.observeRequest('GET', '/api/requests', 200, 0.01);
    metrics.requestLogWritten.inc(5);
    metrics.requestLogDropped.inc({ reason: 'buffer_full' }, 2);
    await publisher.publish();
    lines.splice(0);

    // Act: one more request and nothing else
    metrics.observeRequest('GET', '/api/requests', 200, 0.01);
    metrics.requestLogWritten.inc(1);
    await publisher.publish();
    const afterOne = documents(lines);
    lines.splice(0);
    await publisher.publish();
    const afterNone = documents(lines);

    // Assert
    expect(routeLine(afterOne, '/api/requests', '2xx')).toMatchObject({
      Requests: 1,
      Latency: { Values: [10], Counts: [1] },
    });
    expect(processLine(afterOne)).toMatchObject({ RequestLogWritten: 1, RequestLogDropped: 0 });
    expect(afterNone).toHaveLength(1); // no traffic: the process line only
    expect(processLine(afterNone)).toMatchObject({ RequestLogWritten: 0 });
  });

  it('reports the process gauges as they are at the end of the interval', async () => {
    const { metrics, lines, publisher } = setup();
    metrics.observePool(() => ({ total: 7, idle: 3, waiting: 2 }));
    metrics.observeRequestLog(() => ({ buffered: 4, oldestAt: new Date(Date.now() - 90_000) }));
    metrics.healthStatus.set(1);
    metrics.healthDatabaseProbes.inc(3);
    metrics.healthDatabaseProbeFailures.inc(1);

    await publisher.publish();

    const line = processLine(documents(lines));
    expect(line).toMatchObject({
      HealthStatus: 1,
      DatabaseProbes: 3,
      DatabaseProbeFailures: 1,
      RequestLogBuffered: 4,
      PoolInUse: 4,
      PoolWaiting: 2,
    });
    expect(line?.RequestLogWriterLag).toBeGreaterThanOrEqual(90);
  });

  it('asks its own /health, then publishes, every interval once started', async () => {
    jest.useFakeTimers();
    const { lines, inject, publisher } = setup();
    publisher.onApplicationBootstrap();

    await jest.advanceTimersByTimeAsync(60_000);

    expect(inject).toHaveBeenCalledWith({ method: 'GET', url: '/health' });
    expect(lines.length).toBeGreaterThan(0);
    await publisher.onApplicationShutdown();
  });

  it('writes the last interval on shutdown, and nothing at all when off', async () => {
    const on = setup();
    on.metrics.observeRequest('GET', '/api/requests', 200, 0.01);
    await on.publisher.onApplicationShutdown();
    expect(routeLine(documents(on.lines), '/api/requests', '2xx')).toMatchObject({ Requests: 1 });

    jest.useFakeTimers();
    const off = setup(false);
    off.publisher.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(120_000);
    await off.publisher.onApplicationShutdown();
    expect(off.lines).toEqual([]);
    expect(off.inject).not.toHaveBeenCalled();
  });
});

describe('the EMF specification checker', () => {
  const valid = {
    _aws: {
      Timestamp: 1_700_000_000_000,
      CloudWatchMetrics: [
        { Namespace: 'N', Dimensions: [['Route']], Metrics: [{ Name: 'Requests', Unit: 'Count' }] },
      ],
    },
    Route: '/x',
    Requests: 1,
  };
  const withChange = (change: (doc: typeof valid) => unknown) =>
    JSON.stringify(change(structuredClone(valid)));

  it('accepts a valid line', () => {
    expect(emfProblems(JSON.stringify(valid))).toEqual([]);
  });

  it.each<[string, (doc: typeof valid) => unknown]>([
    ['a missing Timestamp', (d) => ({ ...d, _aws: { ...d._aws, Timestamp: undefined } })],
    ['a dimension absent from the root', (d) => ({ ...d, Route: undefined })],
    ['a metric absent from the root', (d) => ({ ...d, Requests: undefined })],
    ['an unknown unit', (d) => ((d._aws.CloudWatchMetrics[0].Metrics[0].Unit = 'Requests'), d)],
    [
      'too many dimensions in a set',
      (d) => {
        const keys = Array.from({ length: MAX_DIMENSIONS_PER_SET + 1 }, (_, i) => `D${i}`);
        d._aws.CloudWatchMetrics[0].Dimensions = [keys];
        return { ...d, ...Object.fromEntries(keys.map((k) => [k, 'v'])) };
      },
    ],
    [
      'too many values',
      (d) => ({ ...d, Requests: Array.from({ length: MAX_VALUES_PER_METRIC + 1 }, () => 1) }),
    ],
    [
      'Values and Counts of different lengths',
      (d) => ({ ...d, Requests: { Values: [1], Counts: [] } }),
    ],
  ])('rejects %s', (_, change) => {
    expect(emfProblems(withChange(change))).not.toEqual([]);
  });
});
