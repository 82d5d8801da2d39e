import { type ApiConfig } from '@prod-e/api-config';
import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { InjectApiConfig } from '../config/api-config.module';
import { type DropReason, MetricsService } from '../metrics/metrics.service';
import { DatabaseConnection } from '../services/database/database-connection.service';
import { REQUEST_LOG_COLUMNS, type RequestLogRecord } from './request-log-columns';
import { boundedRecord } from './request-log-limits';
import { RequestLogReadCache } from './request-log-read-cache';

const columns = REQUEST_LOG_COLUMNS.map((c) => c.column).join(', ');
const arrays = REQUEST_LOG_COLUMNS.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');

/**
 * One statement per batch whatever its size: one array parameter per column, unnested into rows, inserted
 * into request_log and added to the hourly duration histograms (request_log_hourly) that the
 * statistics read, so both always agree. Histogram rows are upserted in key order, so two
 * instances adding to the same hour lock them in the same order (no deadlock). No RETURNING
 * (nothing reads the ids back) and no per-row placeholders for PostgreSQL to parse.
 */
export const INSERT_BATCH_SQL = `WITH batch AS (
    SELECT * FROM unnest(${arrays}) AS b(${columns})
  ), logged AS (
    INSERT INTO request_log (${columns})
    SELECT * FROM batch
  )
  INSERT INTO request_log_hourly AS h (hour, method, route, bucket, count, server_errors, client_errors)
  SELECT date_trunc('hour', created_at, 'UTC'), method, route, request_log_duration_bucket(duration_ms),
         count(*), count(*) FILTER (WHERE status_code >= 500),
         count(*) FILTER (WHERE status_code BETWEEN 400 AND 499)
    FROM batch GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (hour, method, route, bucket) DO UPDATE
    SET count = h.count + excluded.count,
        server_errors = h.server_errors + excluded.server_errors,
        client_errors = h.client_errors + excluded.client_errors`;

function batchParameters(batch: readonly RequestLogRecord[]): unknown[][] {
  return REQUEST_LOG_COLUMNS.map(({ property }) => batch.map((entry) => entry[property]));
}

/**
 * True when PostgreSQL refused the data itself (SQLSTATE class 22, data exception, or 23,
 * integrity constraint): retrying the same rows can never succeed. Anything else (connection
 * lost, timeout, missing table, permissions) is about the database, and the rows wait.
 */
function isRowRejection(error: unknown): boolean {
  const { code, driverError } = (error ?? {}) as {
    code?: unknown;
    driverError?: { code?: unknown };
  };
  const sqlState = typeof code === 'string' ? code : driverError?.code;
  return typeof sqlState === 'string' && /^2[23]/.test(sqlState);
}

interface InsertOutcome {
  readonly unwritten: readonly RequestLogRecord[];
  readonly error?: unknown;
}

/** What the writer did with the entries it was given. */
export interface RequestLogTotals {
  readonly written: number;
  /** Written by the flush at shutdown. */
  readonly flushedAtShutdown: number;
  readonly dropped: Readonly<Record<DropReason, number>>;
}

/**
 * Records requests off the request path: `record()` only appends to a bounded in-memory buffer.
 * Under load, each full batch (REQUEST_LOG_BATCH_SIZE) is written at once; a partial batch waits
 * for the timer (REQUEST_LOG_FLUSH_INTERVAL_MS), so a steady stream gives a few large INSERTs a
 * second rather than a back-to-back series of small ones. When the buffer
 * (REQUEST_LOG_BUFFER_SIZE) is full, new entries are dropped and counted
 * (request_log_dropped_total): a slow or absent database never blocks a request. While the
 * database is away, entries wait in the buffer and are written once it returns. A batch the
 * database rejects for its data is split until the bad rows are found; only those are dropped.
 * Shutdown flushes everything left after the HTTP server has drained.
 */
@Injectable()
export class RequestLogWriter implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RequestLogWriter.name);
  private buffer: RequestLogRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  /**
   * Entries at the head of the buffer that a flush() asked to write, partial batch or not. Only
   * those: entries arriving while a flush runs wait for a full batch or the next tick, or under
   * steady load the flush would chase new arrivals with back-to-back small INSERTs.
   */
  private flushing = 0;
  private failing = false;
  private written = 0;
  private flushedAtShutdown = 0;
  private readonly dropped: Record<DropReason, number> = {
    buffer_full: 0,
    rejected: 0,
    shutdown: 0,
  };

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectApiConfig() private readonly config: ApiConfig,
    private readonly metrics: MetricsService,
    private readonly connection: DatabaseConnection,
    private readonly reads: RequestLogReadCache,
  ) {
    metrics.observeRequestLog(() => ({
      buffered: this.buffer.length,
      oldestAt: this.buffer[0]?.createdAt,
    }));
  }

  /** Entries waiting to be written. */
  get pending(): number {
    return this.buffer.length;
  }

  get totals(): RequestLogTotals {
    return {
      written: this.written,
      flushedAtShutdown: this.flushedAtShutdown,
      dropped: { ...this.dropped },
    };
  }

  onModuleInit(): void {
    if (!this.config.requestLog.enabled) return;
    this.timer = setInterval(() => void this.flush(), this.config.requestLog.flushIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    const writtenBefore = this.written;
    await this.flush();
    this.flushedAtShutdown = this.written - writtenBefore;
    if (this.buffer.length > 0) {
      this.logger.warn(`${this.buffer.length} request log entries not written at shutdown`);
      this.drop('shutdown', this.buffer.length);
      this.buffer = [];
    }
  }

  record(entry: RequestLogRecord): void {
    const { enabled, bufferSize, batchSize } = this.config.requestLog;
    if (!enabled) return;
    if (this.buffer.length >= bufferSize) {
      this.drop('buffer_full');
      return;
    }
    this.buffer.push(boundedRecord(entry));
    if (this.buffer.length >= batchSize) void this.write();
  }

  /** Writes everything buffered, the last partial batch included (timer tick, shutdown). */
  async flush(): Promise<void> {
    this.flushing = Math.max(this.flushing, this.buffer.length);
    await this.write();
    // A write that was already finishing may have missed the request: one more pass takes it.
    if (this.flushing > 0) await this.write();
  }

  /** Writes full batches (and what flush() asked for). Concurrent calls share one run. */
  private write(): Promise<void> {
    this.writing ??= this.drain().finally(() => (this.writing = undefined));
    return this.writing;
  }

  private async drain(): Promise<void> {
    const { batchSize } = this.config.requestLog;
    const hasWork = () =>
      this.buffer.length >= batchSize || (this.flushing > 0 && this.buffer.length > 0);
    while (hasWork() && this.connection.isInitialized) {
      const batch = this.buffer.splice(0, batchSize);
      this.flushing = Math.max(0, this.flushing - batch.length);
      const { unwritten, error } = await this.insertIsolatingBadRows(batch);
      if (error !== undefined) {
        this.keepForRetry(unwritten, error);
        return;
      }
      if (this.failing) this.logger.log('request log writes resumed');
      this.failing = false;
    }
    this.flushing = Math.min(this.flushing, this.buffer.length);
  }

  /**
   * Inserts the batch; when PostgreSQL rejects its data, halves it and tries each half, down to
   * single rows, which are dropped: k bad rows in n cost about 2·k·log2(n) statements, once.
   * When the database, not the data, fails, returns the rows not yet written and the error.
   */
  private async insertIsolatingBadRows(batch: readonly RequestLogRecord[]): Promise<InsertOutcome> {
    try {
      await this.dataSource.query(INSERT_BATCH_SQL, batchParameters(batch));
      this.written += batch.length;
      this.metrics.requestLogWritten.inc(batch.length);
      this.reads.invalidate();
      return { unwritten: [] };
    } catch (error) {
      if (!isRowRejection(error)) return { unwritten: batch, error };
      if (batch.length === 1) {
        this.rejected(batch[0], error);
        return { unwritten: [] };
      }
      const half = Math.ceil(batch.length / 2);
      const first = await this.insertIsolatingBadRows(batch.slice(0, half));
      if (first.error !== undefined) {
        return { unwritten: [...first.unwritten, ...batch.slice(half)], error: first.error };
      }
      return this.insertIsolatingBadRows(batch.slice(half));
    }
  }

  private rejected(row: RequestLogRecord, error: unknown): void {
    this.drop('rejected');
    this.logger.warn(
      `request log entry dropped, rejected by the database (${(error as Error).message}): ` +
        `${row.method} ${row.route} ${row.statusCode} request ${row.requestId}`,
    );
  }

  /**
   * Puts an unwritten batch back in front of what arrived meanwhile; when that overflows the buffer,
   * the oldest entries are dropped and counted (the newest say most about the outage).
   */
  private keepForRetry(batch: readonly RequestLogRecord[], error: unknown): void {
    this.buffer = [...batch, ...this.buffer];
    const overflow = this.buffer.length - this.config.requestLog.bufferSize;
    if (overflow > 0) {
      this.buffer.splice(0, overflow);
      this.drop('buffer_full', overflow);
    }
    if (!this.failing) {
      this.logger.warn(`request log write failed, will retry: ${(error as Error).message}`);
    }
    this.failing = true;
    this.flushing = 0; // the next tick retries
  }

  private drop(reason: DropReason, count = 1): void {
    this.dropped[reason] += count;
    this.metrics.requestLogDropped.inc({ reason }, count);
  }
}
