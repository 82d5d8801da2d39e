import { type ApiConfig } from '@prod-e/api-config';
import {
  Injectable,
  type OnApplicationShutdown,
  ServiceUnavailableException,
} from '@nestjs/common';
import { Pool, type PoolConfig, type QueryResultRow } from 'pg';

import { isLostConnection } from '../../common/database-unavailable';
import { InjectApiConfig } from '../../config/api-config.module';
import { MetricsService } from '../../metrics/metrics.service';
import { dataSourceOptions } from './data-source-options';

/** Client-side margin over the statement timeout: the server cancels first (57014, a 503). */
const QUERY_TIMEOUT_MARGIN_MS = 1_000;

/** The analytics pool's node-postgres options: the main pool's connection, its own limits. */
export function analyticsPoolConfig(config: ApiConfig): PoolConfig {
  const main = dataSourceOptions(config.database);
  const { poolMax, statementTimeoutMs } = config.analytics;
  const applicationName = `${config.database.applicationName}-analytics`;
  return {
    // Same server, credentials and TLS as the main pool (its `extra` included).
    ...(main.extra as PoolConfig),
    host: main.host,
    port: main.port,
    user: main.username,
    password: main.password,
    database: main.database,
    ssl: main.ssl as PoolConfig['ssl'],
    max: poolMax,
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + QUERY_TIMEOUT_MARGIN_MS,
    application_name: applicationName,
  };
}

/**
 * The bulkhead between request-log reads and everything else. GET /api/requests* run here, on
 * a small pool of their own (DB_ANALYTICS_POOL_MAX), never on the main pool that the health
 * probe and the request-log writer use: a burst of expensive statistics queries can fill this
 * pool, not that one. At most DB_ANALYTICS_QUEUE_MAX reads wait for a connection; the next
 * ones get a 503 at once rather than queueing without bound, and each statement stops after
 * DB_ANALYTICS_STATEMENT_TIMEOUT_MS (below SHUTDOWN_TIMEOUT_MS and the ALB's idle timeout).
 *
 * Reads here are plain SELECTs, so one that went out on a pooled connection that had died while
 * idle runs again: the pool has dropped that connection, and after at most poolMax dead ones
 * the next attempt opens a fresh connection (with a fresh IAM token).
 */
@Injectable()
export class AnalyticsPool implements OnApplicationShutdown {
  private readonly pool: Pool;

  constructor(
    @InjectApiConfig() private readonly config: ApiConfig,
    metrics: MetricsService,
  ) {
    this.pool = new Pool(analyticsPoolConfig(config));
    // An idle client's error (server restart, failover) must not crash the process.
    this.pool.on('error', () => undefined);
    metrics.observeAnalyticsPool(() => ({
      total: this.pool.totalCount,
      idle: this.pool.idleCount,
      waiting: this.pool.waitingCount,
    }));
  }

  async query<Row extends QueryResultRow>(text: string, values: unknown[]): Promise<Row[]> {
    const full = this.pool.totalCount >= this.config.analytics.poolMax && this.pool.idleCount === 0;
    if (full && this.pool.waitingCount >= this.config.analytics.queueMax) {
      throw new ServiceUnavailableException('Too many request log reads in progress, retry later');
    }
    for (let attempt = 0; ; attempt++) {
      try {
        return (await this.pool.query<Row>(text, values)).rows;
      } catch (error) {
        if (attempt >= this.config.analytics.poolMax || !isLostConnection(error)) throw error;
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
