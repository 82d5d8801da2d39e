import type { RouteStatsDto } from './dto/request-stats.dto';
import { histogramPercentile } from './duration-histogram';

/** Windows up to an hour are computed exactly from request_log; longer ones from the histograms. */
export const EXACT_WINDOW_MAX_SECONDS = 3_600;
const HOUR_MS = 3_600_000;

/** Exact: percentile_cont over the window's rows (an hour at most, so a bounded sort). */
export const EXACT_STATS_SQL = `SELECT method, route,
        count(*)::int AS count,
        avg((status_code >= 500)::int)::float8 AS error_rate,
        avg((status_code BETWEEN 400 AND 499)::int)::float8 AS client_error_rate,
        percentile_cont(0.50) WITHIN GROUP (ORDER BY duration_ms) AS p50,
        percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95,
        percentile_cont(0.99) WITHIN GROUP (ORDER BY duration_ms) AS p99
   FROM request_log
  WHERE created_at >= $1 AND created_at <= $2
  GROUP BY method, route
  ORDER BY count DESC, route, method`;

/** Histograms: per route and bucket, summed over whole hours (≤ 720 × routes × buckets rows). */
export const HOURLY_STATS_SQL = `SELECT method, route, bucket,
        sum(count)::int AS count,
        sum(server_errors)::int AS server_errors,
        sum(client_errors)::int AS client_errors
   FROM request_log_hourly
  WHERE hour >= $1 AND hour <= $2
  GROUP BY method, route, bucket`;

export interface ExactStatsRow {
  method: string;
  route: string;
  count: number;
  error_rate: number;
  client_error_rate: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface HourlyStatsRow {
  method: string;
  route: string;
  bucket: number;
  count: number;
  server_errors: number;
  client_errors: number;
}

/** Where a window starts: exactly `seconds` ago, or at the start of that hour for long ones. */
export function windowStart(to: Date, seconds: number): Date {
  const from = to.getTime() - seconds * 1000;
  return new Date(
    seconds <= EXACT_WINDOW_MAX_SECONDS ? from : Math.floor(from / HOUR_MS) * HOUR_MS,
  );
}

export function fromExactRows(rows: readonly ExactStatsRow[]): RouteStatsDto[] {
  return rows.map((row) => ({
    method: row.method,
    route: row.route,
    count: row.count,
    errorRate: row.error_rate,
    clientErrorRate: row.client_error_rate,
    p50Ms: row.p50,
    p95Ms: row.p95,
    p99Ms: row.p99,
  }));
}

/** Per route: counts and error rates summed, percentiles read from the merged histogram. */
export function fromHourlyRows(rows: readonly HourlyStatsRow[]): RouteStatsDto[] {
  const routes = new Map<string, { method: string; route: string; rows: HourlyStatsRow[] }>();
  for (const row of rows) {
    const key = `${row.method} ${row.route}`;
    const entry = routes.get(key) ?? { method: row.method, route: row.route, rows: [] };
    entry.rows.push(row);
    routes.set(key, entry);
  }
  return [...routes.values()]
    .map(({ method, route, rows: buckets }) => {
      const count = buckets.reduce((sum, b) => sum + b.count, 0);
      const histogram = new Map(buckets.map((b) => [b.bucket, b.count]));
      return {
        method,
        route,
        count,
        errorRate: buckets.reduce((sum, b) => sum + b.server_errors, 0) / count,
        clientErrorRate: buckets.reduce((sum, b) => sum + b.client_errors, 0) / count,
        p50Ms: histogramPercentile(histogram, 0.5),
        p95Ms: histogramPercentile(histogram, 0.95),
        p99Ms: histogramPercentile(histogram, 0.99),
      };
    })
    .sort(
      (a, b) =>
        b.count - a.count || a.route.localeCompare(b.route) || a.method.localeCompare(b.method),
    );
}
