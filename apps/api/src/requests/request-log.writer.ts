import { type ApiConfig } from '@prod-e/config';
import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { InjectApiConfig } from '../config/api-config.module';
import { MetricsService } from '../metrics/metrics.service';
import { DatabaseConnection } from '../services/database/database-connection.service';
import type { RequestLogRecord } from './request-log.entity';

/**
 * One statement per batch whatever its size: six array parameters, unnested into rows. No
 * RETURNING (nothing reads the ids back) and no per-row placeholders for PostgreSQL to parse.
 */
export const INSERT_BATCH_SQL = `INSERT INTO request_log
  (method, route, status_code, duration_ms, request_id, created_at)
  SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::int2[], $4::float8[], $5::varchar[], $6::timestamptz[])`;

function batchParameters(batch: readonly RequestLogRecord[]): unknown[][] {
  return [
    batch.map((entry) => entry.method),
    batch.map((entry) => entry.route),
    batch.map((entry) => entry.statusCode),
    batch.map((entry) => entry.durationMs),
    batch.map((entry) => entry.requestId),
    batch.map((entry) => entry.createdAt),
  ];
}

/**
 * Records requests off the request path: `record()` only appends to a bounded in-memory buffer.
 * Under load, each full batch (REQUEST_LOG_BATCH_SIZE) is written at once; a partial batch waits
 * for the timer (REQUEST_LOG_FLUSH_INTERVAL_MS), so a steady stream gives a few large INSERTs a
 * second rather than a back-to-back series of small ones. When the buffer
 * (REQUEST_LOG_BUFFER_SIZE) is full, new entries are dropped and counted
 * (request_log_dropped_total): a slow or absent database never blocks a request. While the
 * database is away, entries wait in the buffer and are written once it returns. Shutdown
 * flushes everything left after the HTTP server has drained.
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

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectApiConfig() private readonly config: ApiConfig,
    private readonly metrics: MetricsService,
    private readonly connection: DatabaseConnection,
  ) {}

  /** Entries waiting to be written. */
  get pending(): number {
    return this.buffer.length;
  }

  onModuleInit(): void {
    if (!this.config.requestLog.enabled) return;
    this.timer = setInterval(() => void this.flush(), this.config.requestLog.flushIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    if (this.buffer.length > 0) {
      this.logger.warn(`${this.buffer.length} request log entries not written at shutdown`);
    }
  }

  record(entry: RequestLogRecord): void {
    const { enabled, bufferSize, batchSize } = this.config.requestLog;
    if (!enabled) return;
    if (this.buffer.length >= bufferSize) {
      this.metrics.requestLogDropped.inc();
      return;
    }
    this.buffer.push(entry);
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
    const { batchSize, bufferSize } = this.config.requestLog;
    const hasWork = () =>
      this.buffer.length >= batchSize || (this.flushing > 0 && this.buffer.length > 0);
    while (hasWork() && this.connection.isInitialized) {
      const batch = this.buffer.splice(0, batchSize);
      this.flushing = Math.max(0, this.flushing - batch.length);
      try {
        await this.dataSource.query(INSERT_BATCH_SQL, batchParameters(batch));
        if (this.failing) this.logger.log('request log writes resumed');
        this.failing = false;
      } catch (error) {
        // Put the batch back (oldest first); whatever no longer fits is dropped and counted.
        this.buffer = [...batch, ...this.buffer];
        const overflow = this.buffer.length - bufferSize;
        if (overflow > 0) {
          this.buffer.splice(0, overflow);
          this.metrics.requestLogDropped.inc(overflow);
        }
        if (!this.failing) {
          this.logger.warn(`request log write failed, will retry: ${(error as Error).message}`);
        }
        this.failing = true;
        this.flushing = 0; // the next tick retries
        return;
      }
    }
    this.flushing = Math.min(this.flushing, this.buffer.length);
  }
}
