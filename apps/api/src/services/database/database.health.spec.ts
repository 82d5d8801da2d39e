import type { ApiConfig } from '@prod-e/api-config';
import { HealthIndicatorService } from '@nestjs/terminus';

import type { MetricsService } from '../../metrics/metrics.service';
import type { DatabaseConnection } from './database-connection.service';
import { DatabaseHealthIndicator, FAILED_PROBE_CACHE_MS } from './database.health';

const CACHE_TTL_MS = 1_000;

function setup() {
  let now = 1_000_000;
  jest.spyOn(Date, 'now').mockImplementation(() => now);
  let connect!: () => void;
  const connected = new Promise<void>((resolve) => (connect = resolve));
  const connection = {
    whenConnected: jest.fn(() => connected),
    ping: jest.fn<Promise<void>, [number, AbortSignal]>(() => Promise.resolve()),
  };
  const metrics = {
    healthDatabaseProbes: { inc: jest.fn() },
    healthDatabaseProbeFailures: { inc: jest.fn() },
  };
  const config = { health: { dbTimeoutMs: 1_000, cacheTtlMs: CACHE_TTL_MS } } as ApiConfig;
  const indicator = new DatabaseHealthIndicator(
    new HealthIndicatorService(),
    connection as unknown as DatabaseConnection,
    metrics as unknown as MetricsService,
    config,
  );
  return {
    indicator,
    connection,
    connect,
    probes: () => metrics.healthDatabaseProbes.inc.mock.calls.length,
    failures: () => metrics.healthDatabaseProbeFailures.inc.mock.calls.length,
    advance: (ms: number) => (now += ms),
  };
}

afterEach(() => jest.restoreAllMocks());

describe('DatabaseHealthIndicator', () => {
  describe('before the first connect', () => {
    it('waits for the connect instead of reporting down, and shares that probe', async () => {
      // Arrange
      const { indicator, connect, probes } = setup();

      // Act
      const pending = [indicator.isHealthy('database'), indicator.isHealthy('database')];
      connect();
      const results = await Promise.all(pending);

      // Assert
      expect(results.map((r) => r.database.status)).toEqual(['up', 'up']);
      expect(probes()).toBe(1);
    });
  });

  describe('when the probe fails', () => {
    it('reuses the failure only briefly, then probes again', async () => {
      // Arrange
      const { indicator, connect, connection, probes, advance } = setup();
      connect();
      connection.ping.mockRejectedValueOnce(new Error('connect ECONNREFUSED'));

      // Act
      const failed = await indicator.isHealthy('database');
      advance(FAILED_PROBE_CACHE_MS - 1);
      const reused = await indicator.isHealthy('database');
      advance(2);
      const retried = await indicator.isHealthy('database');

      // Assert
      expect(failed.database).toMatchObject({ status: 'down', message: 'connect ECONNREFUSED' });
      expect(reused).toBe(failed);
      expect(retried.database.status).toBe('up');
      expect(probes()).toBe(2);
    });

    it('counts each failed probe once, not each caller that shared it', async () => {
      // Arrange
      const { indicator, connect, connection, failures } = setup();
      connect();
      connection.ping.mockRejectedValueOnce(new Error('connect ECONNREFUSED'));

      // Act
      await Promise.all([indicator.isHealthy('database'), indicator.isHealthy('database')]);

      // Assert
      expect(failures()).toBe(1);
    });
  });

  describe('when the probe succeeds', () => {
    it('reuses the result for the cache TTL, then probes again', async () => {
      // Arrange
      const { indicator, connect, probes, failures, advance } = setup();
      connect();

      // Act
      await indicator.isHealthy('database');
      advance(CACHE_TTL_MS - 1);
      await indicator.isHealthy('database');
      const probesWithinTtl = probes();
      advance(2);
      await indicator.isHealthy('database');

      // Assert
      expect(probesWithinTtl).toBe(1);
      expect(probes()).toBe(2);
      expect(failures()).toBe(0);
    });
  });
});
