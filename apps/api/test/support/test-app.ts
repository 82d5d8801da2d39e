import { type ApiConfig, loadApiConfig } from '@prod-e/api-config';
import { apiTestEnv } from '@prod-e/api-config/testing';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { Test } from '@nestjs/testing';

import { AppModule } from '../../src/app/app.module';
import { configureApp } from '../../src/app/configure-app';
import { createFastifyAdapter } from '../../src/app/fastify-adapter';
import { MetricsListener } from '../../src/metrics/metrics-listener';
import { DatabaseConnection } from '../../src/services/database/database-connection.service';

/** A token for production-mode apps (NODE_ENV=production refuses to start without one). */
export const PRODUCTION_TOKEN = 'production-token-0123456789';

/**
 * What production changes, on top of apiTestEnv: NODE_ENV=production (bearer auth required, no
 * docs) with a token. The embedded test server speaks no TLS, hence DB_SSL=disable, and tests
 * migrate their fresh databases themselves.
 */
export function productionEnv(
  extra: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  return {
    NODE_ENV: 'production',
    API_TOKENS: PRODUCTION_TOKEN,
    DB_SSL: 'disable',
    MIGRATIONS_RUN: 'true',
    ...extra,
  };
}

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly config: ApiConfig;
  /** Log lines the app wrote (only with `captureLogs`). */
  readonly logs: string[];
  /** `http://127.0.0.1:<port>` of the API's own port (only with `listen`). */
  readonly url: string | undefined;
  /** The metrics listener's OS-chosen port (METRICS_PORT=0), unless METRICS_ENABLED=false. */
  readonly metricsPort: number | undefined;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  /** GET /metrics on the metrics listener, over HTTP: the Prometheus text. */
  scrape(): Promise<string>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Environment on top of apiTestEnv (MIGRATIONS_RUN=true by default). */
  readonly env?: Record<string, string | undefined>;
  /** Record log lines at this level in `logs`. */
  readonly captureLogs?: 'info' | 'debug';
  /** Wait for the database connection (and migrations) before returning. @default true */
  readonly waitForDatabase?: boolean;
  /** Also listen on an OS-chosen loopback port, for requests over real sockets. */
  readonly listen?: boolean;
}

/**
 * Boots the real app (same module, adapter and setup as main.ts) on Fastify; it listens on a
 * port only with `listen`. Its metrics listener takes an OS-chosen loopback port, so suites
 * running side by side never collide.
 */
export async function startTestApp(
  databaseUrl: string,
  options: TestAppOptions = {},
): Promise<TestApp> {
  const config = loadApiConfig(
    apiTestEnv({
      DATABASE_URL: databaseUrl,
      MIGRATIONS_RUN: 'true',
      HOST: '127.0.0.1',
      METRICS_PORT: '0',
      ...(options.captureLogs ? { LOG_LEVEL: options.captureLogs } : {}),
      ...options.env,
    }),
  );
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(config, { logStream })],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(
    createFastifyAdapter(config),
    {
      bufferLogs: true,
    },
  );
  await configureApp(app, config);
  if (options.listen) await app.listen({ port: 0, host: '127.0.0.1' });
  else await app.init();
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.ready();
  if (options.waitForDatabase !== false) await app.get(DatabaseConnection).whenReady();
  const metricsPort = config.metricsEnabled ? app.get(MetricsListener).port : undefined;
  return {
    app,
    config,
    logs,
    url: options.listen
      ? `http://127.0.0.1:${(fastify.server.address() as AddressInfo).port}`
      : undefined,
    metricsPort,
    inject: (opts) => fastify.inject(opts),
    scrape: async () => {
      const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      if (!response.ok) throw new Error(`GET /metrics: HTTP ${response.status}`);
      return response.text();
    },
    close: () => app.close(),
  };
}

/** Polls until `check` returns true (or throws with the last value after `timeoutMs`). */
export async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs: number,
  intervalMs = 100,
): Promise<{ value: T; elapsedMs: number }> {
  const start = Date.now();
  for (;;) {
    const value = await probe();
    const elapsedMs = Date.now() - start;
    if (accept(value)) return { value, elapsedMs };
    if (elapsedMs > timeoutMs) {
      throw new Error(
        `condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
