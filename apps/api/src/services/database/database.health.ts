import { type ApiConfig } from '@prod-e/config';
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';

import { InjectApiConfig } from '../../config/api-config.module';
import { MetricsService } from '../../metrics/metrics.service';
import { DatabaseConnection } from './database-connection.service';

/**
 * PostgreSQL check for GET /health. Terminus's attempt builder gives the three guarantees the
 * health contract needs: `withTimeout` bounds the answer (HEALTH_DB_TIMEOUT_MS), and `cacheFor`
 * shares one in-flight probe between concurrent callers and reuses its result for
 * HEALTH_CACHE_TTL_MS, so health traffic never multiplies database load.
 */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly healthIndicatorService: HealthIndicatorService,
    private readonly connection: DatabaseConnection,
    private readonly metrics: MetricsService,
    @InjectApiConfig() private readonly config: ApiConfig,
  ) {}

  isHealthy<const Key extends string>(key: Key) {
    const { dbTimeoutMs, cacheTtlMs } = this.config.health;
    return this.healthIndicatorService
      .check(key)
      .attempt(({ signal }) => {
        this.metrics.healthDatabaseProbes.inc();
        return this.connection.ping(dbTimeoutMs, signal);
      })
      .withTimeout(dbTimeoutMs)
      .cacheFor(cacheTtlMs);
  }
}
