/**
 * The contract between the metrics the API publishes to CloudWatch (Embedded Metric Format
 * lines on stdout) and the alarms and dashboard that read them: one namespace, metric names,
 * units and dimensions, imported by both sides so they cannot drift apart.
 */

/** The base CloudWatch namespace; other environments than prod append `/<environment>`. */
export const SERVICE_METRICS_NAMESPACE = 'ProdE';

/** How often the API writes its aggregated EMF lines. */
export const DEFAULT_METRICS_EMF_INTERVAL_MS = 60_000;

/** The only dimensions: bounded by the route table and five classes, never raw paths or ids. */
export const SERVICE_METRIC_DIMENSIONS = { route: 'Route', statusClass: 'StatusClass' } as const;

export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

/** The class a status code falls in (`503` → `5xx`). */
export function statusClassOf(statusCode: number): StatusClass {
  const index = Math.min(Math.max(Math.floor(statusCode / 100), 1), 5) - 1;
  return STATUS_CLASSES[index];
}

/** CloudWatch's unit names (a subset), as the EMF `Unit` field spells them. */
export type MetricUnit = 'Count' | 'Milliseconds' | 'Seconds' | 'None';

export interface ServiceMetric {
  readonly name: string;
  readonly unit: MetricUnit;
}

const metric = (name: string, unit: MetricUnit): ServiceMetric => ({ name, unit });

/**
 * Per route template and status class (and per status class alone): request counts. Per route
 * template: latency as a distribution (values and counts), so CloudWatch computes percentiles.
 */
export const ROUTE_METRICS = {
  requests: metric('Requests', 'Count'),
  latency: metric('Latency', 'Milliseconds'),
} as const;

/** Whole-service signals, one value per interval and task, without dimensions. */
export const PROCESS_METRICS = {
  /** 1 when the last GET /health answered 200, else 0 (the API asks itself each interval). */
  healthStatus: metric('HealthStatus', 'None'),
  databaseProbes: metric('DatabaseProbes', 'Count'),
  databaseProbeFailures: metric('DatabaseProbeFailures', 'Count'),
  requestLogBuffered: metric('RequestLogBuffered', 'Count'),
  requestLogWritten: metric('RequestLogWritten', 'Count'),
  requestLogDropped: metric('RequestLogDropped', 'Count'),
  /** Age of the oldest request-log entry still waiting to be written (0 when none wait). */
  requestLogWriterLag: metric('RequestLogWriterLag', 'Seconds'),
  poolInUse: metric('PoolInUse', 'Count'),
  poolWaiting: metric('PoolWaiting', 'Count'),
} as const;

/** The API's own routes under /api: the ones with per-route latency and error alarms. */
export const SERVICE_ROUTES = ['/api/requests', '/api/requests/stats'] as const;
