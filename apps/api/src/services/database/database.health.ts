import { type ApiConfig } from '@prod-e/api-config';
import { Injectable } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';

import { InjectApiConfig } from '../../config/api-config.module';
import { MetricsService } from '../../metrics/metrics.service';
import { DatabaseConnection } from './database-connection.service';

/**
 * How long a failed probe is reused. Short, so /health turns 200 soon after the database does
 * (a start-up probe that lost the race with the first connect, a failover); long enough that a
 * database refusing connections sees at most ~4 probes/s from /health, whatever the request rate.
 */
export const FAILED_PROBE_CACHE_MS = 250;

interface CachedProbe {
  readonly result: Promise<HealthIndicatorResult<string>>;
  /** Set when the probe settles: up results live HEALTH_CACHE_TTL_MS, down results less. */
  expiresAt: number;
}

/**
 * PostgreSQL check for GET /health. Terminus's attempt builder bounds the answer
 * (`withTimeout(HEALTH_DB_TIMEOUT_MS)`); around it, one probe is shared by every caller while it
 * runs (single flight: at most one probe, so at most one pooled connection, per instance at any
 * time). A successful probe is reused for HEALTH_CACHE_TTL_MS; a failed one only for
 * FAILED_PROBE_CACHE_MS (capped by the TTL). So health traffic never multiplies database load:
 * with a dead database every probe ends within the timeout and callers meanwhile share it, i.e.
 * ≤ 1 probe per (probe time + 250 ms) however many requests arrive. Terminus's own `cacheFor`
 * keeps failures as long as successes, which held a start-up "not connected yet" for a whole TTL.
 * Before the first connect the probe waits for it (inside the same timeout) instead of failing.
 */
@Injectable()
export class DatabaseHealthIndicator {
  private readonly cache = new Map<string, CachedProbe>();

  constructor(
    private readonly healthIndicatorService: HealthIndicatorService,
    private readonly connection: DatabaseConnection,
    private readonly metrics: MetricsService,
    @InjectApiConfig() private readonly config: ApiConfig,
  ) {}

  isHealthy<const Key extends string>(key: Key): Promise<HealthIndicatorResult<Key>> {
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > Date.now()) {
      return cached.result;
    }
    const entry: CachedProbe = { result: this.probe(key), expiresAt: Infinity };
    this.cache.set(key, entry);
    void entry.result.then((result) => {
      const { cacheTtlMs } = this.config.health;
      const up = result[key]?.status === 'up';
      if (!up) this.metrics.healthDatabaseProbeFailures.inc();
      entry.expiresAt =
        Date.now() + (up ? cacheTtlMs : Math.min(cacheTtlMs, FAILED_PROBE_CACHE_MS));
    });
    return entry.result;
  }

  private probe<const Key extends string>(key: Key): Promise<HealthIndicatorResult<Key>> {
    const { dbTimeoutMs } = this.config.health;
    return Promise.resolve(
      this.healthIndicatorService
        .check(key)
        .attempt(async ({ signal }) => {
          this.metrics.healthDatabaseProbes.inc();
          const deadline = Date.now() + dbTimeoutMs;
          await this.connection.whenConnected(signal);
          await this.connection.ping(Math.max(1, deadline - Date.now()), signal);
        })
        .withTimeout(dbTimeoutMs),
    );
  }
}
