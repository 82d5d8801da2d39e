import { type ApiConfig } from '@prod-e/api-config';
import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { EventEmitter, once } from 'node:events';
import type { Pool, PoolClient, QueryConfig } from 'pg';
import { DataSource } from 'typeorm';

import { InjectApiConfig } from '../../config/api-config.module';
import { MetricsService } from '../../metrics/metrics.service';
import { runMigrations } from '../migrations/migration-runner';

const FIRST_RETRY_DELAY_MS = 500;
const MAX_RETRY_DELAY_MS = 10_000;

/**
 * Owns the start of the TypeORM DataSource. TypeOrmModule runs with `manualInitialization`
 * because its own retry (retryAttempts × retryDelay) ends by throwing, which would stop Nest:
 * the API must start, and serve liveness, while PostgreSQL is down. So the first connect (and
 * the start-up migrations when MIGRATIONS_RUN) happens here, in the background, retried with
 * capped backoff until it succeeds. After that node-postgres reconnects on its own: a pool opens
 * new connections on demand, and TypeORM logs (rather than throws) idle-client errors.
 */
@Injectable()
export class DatabaseConnection implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DatabaseConnection.name);
  private stopped = false;
  private lastError: string | undefined;
  private readonly ready: Promise<void>;
  private markReady!: () => void;
  private readonly events = new EventEmitter();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectApiConfig() private readonly config: ApiConfig,
    metrics: MetricsService,
  ) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    metrics.observePool(() => {
      const pool = this.pool();
      return pool && { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
    });
  }

  get isInitialized(): boolean {
    return this.dataSource.isInitialized;
  }

  /** Resolves once the DataSource is up (and migrations, if configured, are applied). */
  whenReady(): Promise<void> {
    return this.ready;
  }

  /**
   * Waits for the first connect, giving up with the connect error when `signal` aborts. The
   * listener goes with the abort, so callers that time out leave nothing behind.
   */
  async whenConnected(signal: AbortSignal): Promise<void> {
    if (this.isInitialized) return;
    await once(this.events, 'ready', { signal }).catch(() => {
      throw this.notConnected();
    });
  }

  onApplicationBootstrap(): void {
    void this.connectInBackground();
  }

  beforeApplicationShutdown(): void {
    // Stop retrying; TypeOrmCoreModule closes the pool in onApplicationShutdown, after the
    // HTTP server has drained and the request log has been flushed.
    this.stopped = true;
  }

  /**
   * One bounded round trip through the pool: the health probe. The query carries its own
   * client-side timeout, and a client that failed or timed out is destroyed (release(error))
   * instead of going back to the pool, so a hung server cannot poison or drain it.
   */
  async ping(timeoutMs: number, signal: AbortSignal): Promise<void> {
    const pool = this.pool();
    if (!pool) throw this.notConnected();
    const client = await pool.connect();
    if (signal.aborted) {
      client.release(); // the caller gave up while we waited for a connection
      throw new Error('probe abandoned');
    }
    await queryWithin(client, timeoutMs);
  }

  private notConnected(): Error {
    return new Error(`not connected${this.lastError ? `: ${this.lastError}` : ' yet'}`);
  }

  private pool(): Pool | undefined {
    if (!this.dataSource.isInitialized) return undefined;
    // TypeORM's postgres driver keeps the node-postgres Pool as `master`.
    return (this.dataSource.driver as unknown as { master?: Pool }).master;
  }

  private async connectInBackground(): Promise<void> {
    let delay = FIRST_RETRY_DELAY_MS;
    while (!this.stopped) {
      try {
        if (this.config.migrationsRun) {
          await runMigrations(this.config.database, {
            log: (line) => this.logger.log(`migrations: ${line}`),
          });
        }
        if (!this.stopped && !this.dataSource.isInitialized) await this.dataSource.initialize();
        this.lastError = undefined;
        this.logger.log('database connected');
        this.markReady();
        this.events.emit('ready');
        return;
      } catch (error) {
        this.lastError = error instanceof Error ? error.message : String(error);
        this.logger.warn(`database not reachable (${this.lastError}); retrying in ${delay} ms`);
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
        delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
      }
    }
  }
}

/** pg honours a per-query `query_timeout`; its QueryConfig type does not declare one. */
interface TimedQueryConfig extends QueryConfig {
  readonly query_timeout: number;
}

async function queryWithin(client: PoolClient, timeoutMs: number): Promise<void> {
  const probe: TimedQueryConfig = { text: 'SELECT 1', query_timeout: timeoutMs };
  try {
    await client.query(probe);
    client.release();
  } catch (error) {
    client.release(error instanceof Error ? error : true);
    throw error;
  }
}
