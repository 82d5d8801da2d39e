import { type StatusClass, statusClassOf } from '@prod-e/api-config';
import type { MetricObjectWithValues, MetricValue } from 'prom-client';

/** The Prometheus series the CloudWatch metrics are computed from (MetricsService registers them). */
export const PROMETHEUS_SOURCES = {
  requests: 'http_requests_total',
  duration: 'http_request_duration_seconds',
  healthStatus: 'health_status',
  databaseProbes: 'health_database_probes_total',
  databaseProbeFailures: 'health_database_probe_failures_total',
  requestLogBuffered: 'request_log_buffered',
  requestLogWritten: 'request_log_written_total',
  requestLogDropped: 'request_log_dropped_total',
  requestLogWriterLag: 'request_log_writer_lag_seconds',
  pool: 'db_pool_connections',
} as const;

/** One route template and status class over one interval. */
export interface RouteInterval {
  readonly route: string;
  readonly statusClass: StatusClass;
  readonly requests: number;
  /** Requests per histogram bucket, keyed by the bucket's upper bound in milliseconds. */
  readonly latencyMs: ReadonlyMap<number, number>;
}

/** Whole-process values: counters as increases over the interval, gauges as read at its end. */
export interface ProcessInterval {
  readonly healthStatus: number;
  readonly databaseProbes: number;
  readonly databaseProbeFailures: number;
  readonly requestLogBuffered: number;
  readonly requestLogWritten: number;
  readonly requestLogDropped: number;
  readonly requestLogWriterLag: number;
  readonly poolInUse: number;
  readonly poolWaiting: number;
}

export interface IntervalMetrics {
  readonly routes: readonly RouteInterval[];
  readonly process: ProcessInterval;
}

interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
}

type RegistryJson = readonly MetricObjectWithValues<MetricValue<string>>[];

/** Every sample of a registry snapshot, histogram buckets (`…_bucket`) included. */
function samplesOf(metrics: RegistryJson): Sample[] {
  return metrics.flatMap((metric) =>
    metric.values.map((value) => ({
      name: (value as { metricName?: string }).metricName ?? metric.name,
      labels: value.labels as Record<string, string | number>,
      value: value.value,
    })),
  );
}

const seriesKey = (name: string, labels: Readonly<Record<string, unknown>>, omit = '') =>
  `${name}{${Object.keys(labels)
    .filter((key) => key !== omit)
    .sort()
    .map((key) => `${key}=${String(labels[key])}`)
    .join(',')}}`;

/**
 * Turns cumulative counters into increases since the previous read. The first read counts from
 * process start; a counter that went down (a reset) counts from zero again.
 */
export class CounterDeltas {
  private readonly last = new Map<string, number>();

  delta(key: string, value: number): number {
    const previous = this.last.get(key) ?? 0;
    this.last.set(key, value);
    return value >= previous ? value - previous : value;
  }
}

const routeKey = (route: string, statusClass: StatusClass) => `${statusClass} ${route}`;

interface RouteTotals {
  route: string;
  statusClass: StatusClass;
  requests: number;
  latencyMs: Map<number, number>;
}

function routeTotals(totals: Map<string, RouteTotals>, labels: Sample['labels']): RouteTotals {
  const route = String(labels.route);
  const statusClass = statusClassOf(Number(labels.status_code));
  const key = routeKey(route, statusClass);
  let entry = totals.get(key);
  if (!entry) {
    entry = { route, statusClass, requests: 0, latencyMs: new Map() };
    totals.set(key, entry);
  }
  return entry;
}

/**
 * Adds each histogram series' per-bucket increase to its route and class. Buckets are
 * cumulative (`le`), so a bucket's own count is its increase minus the one below it; the
 * `+Inf` bucket is reported at the largest finite bound ("at least that slow").
 */
function addLatency(totals: Map<string, RouteTotals>, buckets: Sample[], deltas: CounterDeltas) {
  const series = new Map<string, { labels: Sample['labels']; cumulative: [number, number][] }>();
  for (const sample of buckets) {
    const key = seriesKey(sample.name, sample.labels, 'le');
    const bound = sample.labels.le === '+Inf' ? Infinity : Number(sample.labels.le);
    const increase = deltas.delta(seriesKey(sample.name, sample.labels), sample.value);
    const entry = series.get(key) ?? { labels: sample.labels, cumulative: [] };
    entry.cumulative.push([bound, increase]);
    series.set(key, entry);
  }
  for (const { labels, cumulative } of series.values()) {
    cumulative.sort(([a], [b]) => a - b);
    const largestFinite = cumulative.filter(([bound]) => Number.isFinite(bound)).at(-1)?.[0] ?? 0;
    const latency = routeTotals(totals, labels).latencyMs;
    let below = 0;
    for (const [bound, increase] of cumulative) {
      const count = increase - below;
      below = increase;
      if (count <= 0) continue;
      const ms = Math.round((Number.isFinite(bound) ? bound : largestFinite) * 1000);
      latency.set(ms, (latency.get(ms) ?? 0) + count);
    }
  }
}

function routeIntervals(samples: Sample[], deltas: CounterDeltas): RouteInterval[] {
  const totals = new Map<string, RouteTotals>();
  for (const sample of samples.filter((s) => s.name === PROMETHEUS_SOURCES.requests)) {
    routeTotals(totals, sample.labels).requests += deltas.delta(
      seriesKey(sample.name, sample.labels),
      sample.value,
    );
  }
  const bucketName = `${PROMETHEUS_SOURCES.duration}_bucket`;
  addLatency(
    totals,
    samples.filter((s) => s.name === bucketName),
    deltas,
  );
  return [...totals.values()]
    .filter((entry) => entry.requests > 0)
    .sort((a, b) =>
      routeKey(a.route, a.statusClass).localeCompare(routeKey(b.route, b.statusClass)),
    );
}

function processInterval(samples: Sample[], deltas: CounterDeltas): ProcessInterval {
  const matching = (name: string) => samples.filter((s) => s.name === name);
  const gauge = (name: string, labels: Record<string, string> = {}) =>
    matching(name).find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))
      ?.value ?? 0;
  const increase = (name: string) =>
    matching(name).reduce((sum, s) => sum + deltas.delta(seriesKey(s.name, s.labels), s.value), 0);
  const pool = (state: string) => gauge(PROMETHEUS_SOURCES.pool, { state });
  return {
    healthStatus: gauge(PROMETHEUS_SOURCES.healthStatus),
    databaseProbes: increase(PROMETHEUS_SOURCES.databaseProbes),
    databaseProbeFailures: increase(PROMETHEUS_SOURCES.databaseProbeFailures),
    requestLogBuffered: gauge(PROMETHEUS_SOURCES.requestLogBuffered),
    requestLogWritten: increase(PROMETHEUS_SOURCES.requestLogWritten),
    requestLogDropped: increase(PROMETHEUS_SOURCES.requestLogDropped),
    requestLogWriterLag: gauge(PROMETHEUS_SOURCES.requestLogWriterLag),
    poolInUse: Math.max(0, pool('total') - pool('idle')),
    poolWaiting: pool('waiting'),
  };
}

/** What happened since the previous call, read from a registry snapshot (getMetricsAsJSON). */
export function readInterval(metrics: RegistryJson, deltas: CounterDeltas): IntervalMetrics {
  const samples = samplesOf(metrics);
  return { routes: routeIntervals(samples, deltas), process: processInterval(samples, deltas) };
}
