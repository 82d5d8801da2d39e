import { Injectable, ServiceUnavailableException } from '@nestjs/common';

import { AnalyticsPool } from '../services/database/analytics-pool';
import { DatabaseConnection } from '../services/database/database-connection.service';
import type { RequestLogItemDto, RequestLogPageDto } from './dto/request-log-page.dto';
import type { RequestStatsDto } from './dto/request-stats.dto';
import type { ListRequestsQuery } from './dto/list-requests.query';
import type { RequestStatsQuery } from './dto/request-stats.query';
import { encodeCursor } from './request-cursor';

interface RequestLogRow {
  id: string;
  method: string;
  route: string;
  status_code: number;
  duration_ms: number;
  request_id: string;
  created_at: Date;
  cursor_at: string;
}

interface RouteStatsRow {
  method: string;
  route: string;
  count: number;
  error_rate: number;
  client_error_rate: number;
  p50: number;
  p95: number;
  p99: number;
}

/**
 * Reads request_log back: keyset pages and per-route statistics, both computed in SQL, on the
 * analytics pool (the bulkhead that keeps them off the health probe's and the writer's pool).
 */
@Injectable()
export class RequestsService {
  constructor(
    private readonly analytics: AnalyticsPool,
    private readonly connection: DatabaseConnection,
  ) {}

  /**
   * Before the first connect (and start-up migrations) succeed, e.g. the API started while
   * PostgreSQL was down: a fast 503 rather than a query on a table that may not exist yet.
   */
  private assertConnected(): void {
    if (!this.connection.isInitialized) {
      throw new ServiceUnavailableException('Database unavailable, retry later');
    }
  }

  async list(query: ListRequestsQuery): Promise<RequestLogPageDto> {
    this.assertConnected();
    const params: unknown[] = [];
    const where: string[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (query.route !== undefined) where.push(`route = ${param(query.route)}`);
    if (query.status !== undefined) where.push(`status_code = ${param(query.status)}`);
    if (query.since !== undefined) where.push(`created_at >= ${param(query.since)}::timestamptz`);
    if (query.cursor) {
      // Row comparison matches the (created_at DESC, id DESC) indexes: a stable keyset page.
      where.push(
        `(created_at, id) < (${param(query.cursor.createdAt)}::timestamptz, ${param(query.cursor.id)}::bigint)`,
      );
    }
    const rows = await this.analytics.query<RequestLogRow>(
      `SELECT id::text, method, route, status_code, duration_ms, request_id, created_at,
              to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
         FROM request_log
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at DESC, id DESC
        LIMIT ${param(query.limit + 1)}`,
      params,
    );
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map(toItem),
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor({ createdAt: last.cursor_at, id: last.id })
          : null,
    };
  }

  async stats(query: RequestStatsQuery): Promise<RequestStatsDto> {
    this.assertConnected();
    const to = new Date();
    const from = new Date(to.getTime() - query.window.seconds * 1000);
    const rows = await this.analytics.query<RouteStatsRow>(
      `SELECT method, route,
              count(*)::int AS count,
              avg((status_code >= 500)::int)::float8 AS error_rate,
              avg((status_code BETWEEN 400 AND 499)::int)::float8 AS client_error_rate,
              percentile_cont(0.50) WITHIN GROUP (ORDER BY duration_ms) AS p50,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY duration_ms) AS p99
         FROM request_log
        WHERE created_at >= $1 AND created_at <= $2
        GROUP BY method, route
        ORDER BY count DESC, route, method`,
      [from, to],
    );
    return {
      window: query.window.text,
      from: from.toISOString(),
      to: to.toISOString(),
      routes: rows.map((row) => ({
        method: row.method,
        route: row.route,
        count: row.count,
        errorRate: row.error_rate,
        clientErrorRate: row.client_error_rate,
        p50Ms: row.p50,
        p95Ms: row.p95,
        p99Ms: row.p99,
      })),
    };
  }
}

function toItem(row: RequestLogRow): RequestLogItemDto {
  return {
    id: row.id,
    method: row.method,
    route: row.route,
    statusCode: row.status_code,
    durationMs: row.duration_ms,
    timestamp: row.created_at.toISOString(),
    requestId: row.request_id,
  };
}
