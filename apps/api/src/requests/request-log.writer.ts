import { type ApiConfig } from '@prod-e/config';
import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';

import { InjectApiConfig } from '../config/api-config.module';
import { MetricsService } from '../metrics/metrics.service';
import { DatabaseConnection } from '../services/database/database-connection.service';
import { RequestLogEntry, type RequestLogRecord } from './request-log.entity';

/**
 * Records requests off the request path: `record()` only appends to a bounded in-memory buffer;
 * a timer (REQUEST_LOG_FLUSH_INTERVAL_MS) or a full batch (REQUEST_LOG_BATCH_SIZE) writes
 * multi-row INSERTs. When the buffer (REQUEST_LOG_BUFFER_SIZE) is full, new entries are dropped
 * and counted (request_log_dropped_total): a slow or absent database never blocks a request.
 * While the database is away, entries wait in the buffer and are written once it returns.
 * Shutdown flushes what is left after the HTTP server has drained.
 */
@Injectable()
export class RequestLogWriter implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RequestLogWriter.name);
  private buffer: RequestLogRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private failing = false;

  constructor(
    @InjectRepository(RequestLogEntry) private readonly repository: Repository<RequestLogEntry>,
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
    if (this.buffer.length >= batchSize) void this.flush();
  }

  /** Writes everything buffered, batch by batch. Concurrent calls share one run. */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async drain(): Promise<void> {
    const { batchSize, bufferSize } = this.config.requestLog;
    while (this.buffer.length > 0 && this.connection.isInitialized) {
      const batch = this.buffer.splice(0, batchSize);
      try {
        await this.repository.insert(batch);
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
        return;
      }
    }
  }
}
