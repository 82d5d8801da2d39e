import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Why a request log entry was not written: the buffer was full (database slow or away), the
 * database rejected the row itself (a data error, split out of its batch), or it was still
 * buffered when shutdown gave up.
 */
export const DROP_REASONS = ['buffer_full', 'rejected', 'shutdown'] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** Pool numbers as node-postgres reports them (pg.Pool totalCount/idleCount/waitingCount). */
export interface PoolStats {
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
}

/** What the request-log writer holds: entries waiting, and when the oldest of them arrived. */
export interface RequestLogBacklog {
  readonly buffered: number;
  readonly oldestAt?: Date;
}

/**
 * The API's Prometheus metrics, in a registry of its own (not prom-client's global one), so
 * every app instance, test apps included, counts only its own traffic.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [this.registry],
  });

  readonly httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly requestLogDropped = new Counter({
    name: 'request_log_dropped_total',
    help: 'Request log entries not written, by reason (DROP_REASONS)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly requestLogRetentionDeleted = new Counter({
    name: 'request_log_retention_deleted_total',
    help: 'Request log rows deleted for being older than REQUEST_LOG_RETENTION_DAYS',
    registers: [this.registry],
  });

  readonly healthStatus = new Gauge({
    name: 'health_status',
    help: 'Result of the last GET /health: 1 healthy, 0 not',
    registers: [this.registry],
  });

  readonly healthDatabaseProbes = new Counter({
    name: 'health_database_probes_total',
    help: 'Database probes run for GET /health (cached and shared between callers)',
    registers: [this.registry],
  });

  readonly healthDatabaseProbeFailures = new Counter({
    name: 'health_database_probe_failures_total',
    help: 'Database probes for GET /health that failed or timed out',
    registers: [this.registry],
  });

  readonly requestLogWritten = new Counter({
    name: 'request_log_written_total',
    help: 'Request log entries written to the database',
    registers: [this.registry],
  });

  private poolStats: () => PoolStats | undefined = () => undefined;
  private requestLogBacklog: () => RequestLogBacklog = () => ({ buffered: 0 });
  private analyticsPoolStats: () => PoolStats | undefined = () => undefined;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // Every reason from the start, at 0: an alert on a series that does not exist never fires.
    for (const reason of DROP_REASONS) this.requestLogDropped.labels(reason).inc(0);
    const stats = () => this.poolStats();
    new Gauge({
      name: 'db_pool_connections',
      help: 'PostgreSQL pool connections by state (total, idle, waiting requests)',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const pool = stats();
        this.set({ state: 'total' }, pool?.total ?? 0);
        this.set({ state: 'idle' }, pool?.idle ?? 0);
        this.set({ state: 'waiting' }, pool?.waiting ?? 0);
      },
    });
    this.requestLogGauges();
    const analytics = () => this.analyticsPoolStats();
    new Gauge({
      name: 'db_analytics_pool_connections',
      help: 'Connections of the pool serving request-log reads, by state (total, idle, waiting)',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const pool = analytics();
        this.set({ state: 'total' }, pool?.total ?? 0);
        this.set({ state: 'idle' }, pool?.idle ?? 0);
        this.set({ state: 'waiting' }, pool?.waiting ?? 0);
      },
    });
  }

  /** Where the request-log gauges read from (the writer registers itself). */
  observeRequestLog(backlog: () => RequestLogBacklog): void {
    this.requestLogBacklog = backlog;
  }

  /** Where the analytics pool gauges read from (AnalyticsPool registers itself). */
  observeAnalyticsPool(stats: () => PoolStats): void {
    this.analyticsPoolStats = stats;
  }

  /** Where the pool gauges read from (the database connection registers itself). */
  observePool(stats: () => PoolStats | undefined): void {
    this.poolStats = stats;
  }

  private requestLogGauges(): void {
    const backlog = () => this.requestLogBacklog();
    new Gauge({
      name: 'request_log_buffered',
      help: 'Request log entries waiting in memory to be written',
      registers: [this.registry],
      collect() {
        this.set(backlog().buffered);
      },
    });
    new Gauge({
      name: 'request_log_writer_lag_seconds',
      help: 'Age of the oldest request log entry not yet written (0 when none wait)',
      registers: [this.registry],
      collect() {
        const { oldestAt } = backlog();
        this.set(oldestAt ? Math.max(0, (Date.now() - oldestAt.getTime()) / 1000) : 0);
      },
    });
  }

  observeRequest(method: string, route: string, statusCode: number, seconds: number): void {
    const labels = { method, route, status_code: String(statusCode) };
    this.httpRequests.inc(labels);
    this.httpRequestDuration.observe(labels, seconds);
  }
}
