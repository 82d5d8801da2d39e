import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { HEALTH_PATH } from '@prod-e/health-contract';

import { AUTH_HEADERS } from './apps';
import type { BenchDb } from './postgres';

/** The statistics read the scenario loads: the widest window the API allows. */
export const STATS_PATH = '/api/requests/stats?window=30d';
/** Parallel statistics calls while /health and the writer are watched. */
export const PARALLEL_STATS_CALLS = 16;
/** A request-logged call that touches no table (a 400), so its only database work is its row. */
const LOGGED_PROBE_PATH = '/api/requests?limit=0';
const INSERT_CHUNK_ROWS = 250_000;

/** The p-th percentile (nearest rank) of `values`. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * `rows` request-log rows spread over the last 29.5 days (inside the 30-day retention, so the
 * service's own pruning leaves them), 12 routes, ~3 % 5xx and ~8 % 4xx, durations 1–200 ms
 * skewed low, with their hourly histograms; then VACUUM ANALYZE, as autovacuum would have done
 * on tables that grew slowly.
 */
export async function fillRequestLog(db: BenchDb, rows: number): Promise<void> {
  for (let done = 0; done < rows; done += INSERT_CHUNK_ROWS) {
    const count = Math.min(INSERT_CHUNK_ROWS, rows - done);
    await db.query(`INSERT INTO request_log (method, route, status_code, duration_ms, request_id, created_at)
      SELECT CASE WHEN n % 10 = 0 THEN 'POST' ELSE 'GET' END,
             '/api/route-' || (n % 12),
             CASE WHEN n % 33 = 0 THEN 503 WHEN n % 12 = 1 THEN 404 ELSE 200 END,
             1 + 199 * power(random(), 3),
             'bench-' || n,
             now() - random() * interval '29.5 days'
        FROM generate_series(${done + 1}, ${done + count}) AS n`);
  }
  // The writer adds each batch to the hourly histograms; rows inserted here are counted in at once,
  // the way the migration that created the histograms counted existing rows.
  await db.query(`INSERT INTO request_log_hourly
    SELECT date_trunc('hour', created_at, 'UTC'), method, route,
           request_log_duration_bucket(duration_ms), count(*),
           count(*) FILTER (WHERE status_code >= 500),
           count(*) FILTER (WHERE status_code BETWEEN 400 AND 499)
      FROM request_log GROUP BY 1, 2, 3, 4
    ON CONFLICT (hour, method, route, bucket) DO UPDATE
      SET count = request_log_hourly.count + excluded.count,
          server_errors = request_log_hourly.server_errors + excluded.server_errors,
          client_errors = request_log_hourly.client_errors + excluded.client_errors`);
  await db.query('VACUUM ANALYZE request_log, request_log_hourly');
}

async function timedGet(baseUrl: string, path: string, headers: Record<string, string> = {}) {
  const started = performance.now();
  const response = await fetch(`${baseUrl}${path}`, { headers: { ...AUTH_HEADERS, ...headers } });
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started };
}

/** `calls` sequential statistics reads on an otherwise idle service: status and time of each. */
export async function statsLatencies(
  baseUrl: string,
  calls: number,
): Promise<{ status: number; ms: number }[]> {
  const answers: { status: number; ms: number }[] = [];
  for (let i = 0; i < calls; i++) answers.push(await timedGet(baseUrl, STATS_PATH));
  return answers;
}

export interface ContentionResult {
  readonly statsStatuses: Record<string, number>;
  readonly healthAnswers: number;
  readonly healthOk: number;
  readonly writerLagsMs: readonly number[];
}

/**
 * For `seconds`: PARALLEL_STATS_CALLS loops of statistics reads, while one loop calls /health
 * every 100 ms and another sends a logged request every 250 ms and times how long its row
 * takes to appear in request_log (the writer's lag).
 */
export async function underContention(
  baseUrl: string,
  db: BenchDb,
  seconds: number,
): Promise<ContentionResult> {
  const until = performance.now() + seconds * 1000;
  const statsStatuses: Record<string, number> = {};
  let healthAnswers = 0;
  let healthOk = 0;
  const writerLagsMs: number[] = [];
  const statsLoop = async () => {
    while (performance.now() < until) {
      const { status } = await timedGet(baseUrl, STATS_PATH).catch(() => ({ status: 0 }));
      statsStatuses[status] = (statsStatuses[status] ?? 0) + 1;
    }
  };
  const healthLoop = async () => {
    while (performance.now() < until) {
      const { status } = await timedGet(baseUrl, HEALTH_PATH).catch(() => ({ status: 0 }));
      healthAnswers += 1;
      if (status === 200) healthOk += 1;
      await sleep(100);
    }
  };
  const writerLoop = async () => {
    for (let i = 0; performance.now() < until; i++) {
      const requestId = `lag-${process.pid}-${i}`;
      await timedGet(baseUrl, LOGGED_PROBE_PATH, { 'x-request-id': requestId });
      const answered = performance.now();
      writerLagsMs.push(await rowVisibleAfter(db, requestId, answered));
      await sleep(250);
    }
  };
  await Promise.all([
    ...Array.from({ length: PARALLEL_STATS_CALLS }, statsLoop),
    healthLoop(),
    writerLoop(),
  ]);
  return { statsStatuses, healthAnswers, healthOk, writerLagsMs };
}

/** Milliseconds from `since` until the row with `requestId` is in request_log (10 s cap). */
async function rowVisibleAfter(db: BenchDb, requestId: string, since: number): Promise<number> {
  for (;;) {
    const rows = await db.query<{ n: number }>(
      // The created_at bound keeps this on the index, not a scan of millions of rows.
      `SELECT count(*)::int AS n FROM request_log
        WHERE created_at > now() - interval '1 minute' AND request_id = '${requestId}'`,
    );
    const lag = performance.now() - since;
    if (rows[0].n > 0 || lag > 10_000) return lag;
    await sleep(20);
  }
}
