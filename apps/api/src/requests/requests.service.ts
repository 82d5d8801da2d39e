import { Injectable, ServiceUnavailableException } from '@nestjs/common';

import { AnalyticsPool } from '../services/database/analytics-pool';
import { DatabaseConnection } from '../services/database/database-connection.service';
import type { RequestLogItemDto, RequestLogPageDto } from './dto/request-log-page.dto';
import type { RequestStatsDto } from './dto/request-stats.dto';
import type { ListRequestsQuery } from './dto/list-requests.query';
import type { RequestStatsQuery } from './dto/request-stats.query';
import { encodeCursor } from './request-cursor';
import { RequestLogReadCache } from './request-log-read-cache';
import {
  EXACT_STATS_SQL,
  EXACT_WINDOW_MAX_SECONDS,
  type ExactStatsRow,
  HOURLY_STATS_SQL,
  type HourlyStatsRow,
  fromExactRows,
  fromHourlyRows,
  windowStart,
} from './request-stats';

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

/**
 * Reads request_log back: keyset pages and per-route statistics, both computed in SQL, on the
 * analytics pool (the bulkhead that keeps them off the health probe's and the writer's pool).
 */
@Injectable()
export class RequestsService {
  constructor(
    private readonly analytics: AnalyticsPool,
    private readonly connection: DatabaseConnection,
    private readonly reads: RequestLogReadCache,
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

  list(query: ListRequestsQuery): Promise<RequestLogPageDto> {
    this.assertConnected();
    return this.reads.get(`list ${JSON.stringify(query)}`, () => this.readPage(query));
  }

  private async readPage(query: ListRequestsQuery): Promise<RequestLogPageDto> {
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
        -- Qualified: a bare "id" here would be the text column above, and sort '9' after '10'.
        ORDER BY request_log.created_at DESC, request_log.id DESC
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

  /**
   * Per route statistics. Windows up to an hour: exact, from the rows. Longer ones: from the
   * hourly histograms the writer keeps (whole hours; percentiles within about ±7 %), so a 30-day
   * window reads thousands of rows, not millions.
   */
  stats(query: RequestStatsQuery): Promise<RequestStatsDto> {
    this.assertConnected();
    return this.reads.get(`stats ${query.window.seconds}`, () => this.readStats(query));
  }

  private async readStats(query: RequestStatsQuery): Promise<RequestStatsDto> {
    const to = new Date();
    const from = windowStart(to, query.window.seconds);
    const exact = query.window.seconds <= EXACT_WINDOW_MAX_SECONDS;
    const routes = exact
      ? fromExactRows(await this.analytics.query<ExactStatsRow>(EXACT_STATS_SQL, [from, to]))
      : fromHourlyRows(await this.analytics.query<HourlyStatsRow>(HOURLY_STATS_SQL, [from, to]));
    return {
      window: query.window.text,
      from: from.toISOString(),
      to: to.toISOString(),
      percentiles: exact ? 'exact' : 'histogram',
      routes,
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
