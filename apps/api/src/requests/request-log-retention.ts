import {
  type ApiConfig,
  REQUEST_LOG_RETENTION_BATCH_ROWS,
  REQUEST_LOG_RETENTION_INTERVAL_MS,
} from '@prod-e/api-config';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type QueryRunner } from 'typeorm';
import { z } from 'zod';

import { InjectApiConfig } from '../config/api-config.module';
import { MetricsService } from '../metrics/metrics.service';
import { DatabaseConnection } from '../services/database/database-connection.service';
import { RequestLogReadCache } from './request-log-read-cache';

/** Advisory lock that lets one instance at a time prune request_log ('prlr'). */
export const RETENTION_LOCK_KEY = 0x70726c72;

const DAY_MS = 86_400_000;

/** The one row `SELECT pg_try_advisory_lock(...) AS locked` returns. */
const lockResult = z.tuple([z.object({ locked: z.boolean() })]);

/**
 * One bounded batch: the oldest rows past the cutoff, found through the created_at index and
 * deleted by primary key. Each statement is its own short transaction.
 */
export const DELETE_BATCH_SQL = `WITH doomed AS (
    SELECT id FROM request_log WHERE created_at < $1 ORDER BY created_at LIMIT $2
  )
  DELETE FROM request_log AS r USING doomed WHERE r.id = doomed.id`;

/** Histogram hours that end before the cutoff (small: routes × buckets rows per hour). */
export const DELETE_HOURLY_SQL = `DELETE FROM request_log_hourly WHERE hour + interval '1 hour' <= $1`;

export interface PruneResult {
  /** False when another instance held the lock: it is pruning, this one did nothing. */
  readonly ran: boolean;
  readonly deleted: number;
}

/**
 * Keeps request_log (and its hourly histograms) to REQUEST_LOG_RETENTION_DAYS. Every instance tries every
 * REQUEST_LOG_RETENTION_INTERVAL_MS (and once connected), but only the one that takes the
 * advisory lock deletes, in batches of REQUEST_LOG_RETENTION_BATCH_ROWS: no long transaction,
 * no long lock, and autovacuum reuses the freed space, so the table's size stays bounded by the
 * retention window. Shutdown stops it between batches.
 */
@Injectable()
export class RequestLogRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RequestLogRetention.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<PruneResult> | undefined;
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectApiConfig() private readonly config: ApiConfig,
    private readonly connection: DatabaseConnection,
    private readonly metrics: MetricsService,
    private readonly reads: RequestLogReadCache,
  ) {}

  onApplicationBootstrap(): void {
    void this.connection.whenReady().then(() => {
      if (this.stopping) return;
      void this.pruneQuietly();
      this.timer = setInterval(() => void this.pruneQuietly(), REQUEST_LOG_RETENTION_INTERVAL_MS);
      this.timer.unref();
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Deletes rows older than the retention window, unless another instance is doing so. */
  prune(now = new Date(), batchRows = REQUEST_LOG_RETENTION_BATCH_ROWS): Promise<PruneResult> {
    this.running ??= this.pruneLocked(now, batchRows).finally(() => (this.running = undefined));
    return this.running;
  }

  private async pruneQuietly(): Promise<void> {
    await this.prune().catch((error: unknown) =>
      this.logger.warn(`request log retention failed, will retry: ${(error as Error).message}`),
    );
  }

  private async pruneLocked(now: Date, batchRows: number): Promise<PruneResult> {
    const cutoff = new Date(now.getTime() - this.config.requestLog.retentionDays * DAY_MS);
    const runner = this.dataSource.createQueryRunner();
    try {
      // The lock is the session's, so every statement runs on this one connection.
      const [{ locked }] = lockResult.parse(
        await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [RETENTION_LOCK_KEY]),
      );
      if (!locked) return { ran: false, deleted: 0 };
      try {
        const deleted = await this.deleteInBatches(runner, cutoff, batchRows);
        await runner.query(DELETE_HOURLY_SQL, [cutoff]);
        if (deleted > 0) {
          this.reads.invalidate();
          this.logger.log(
            `request log retention: deleted ${deleted} rows before ${cutoff.toISOString()}`,
          );
        }
        return { ran: true, deleted };
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [RETENTION_LOCK_KEY]);
      }
    } finally {
      await runner.release();
    }
  }

  private async deleteInBatches(runner: QueryRunner, cutoff: Date, batchRows: number) {
    let deleted = 0;
    for (;;) {
      const result = await runner.query(DELETE_BATCH_SQL, [cutoff, batchRows], true);
      const count = result.affected ?? 0;
      deleted += count;
      this.metrics.requestLogRetentionDeleted.inc(count);
      if (count < batchRows || this.stopping) return deleted;
    }
  }
}
