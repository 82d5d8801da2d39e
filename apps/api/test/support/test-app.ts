import { type ApiConfig, loadApiConfig } from '@prod-e/api-config';
import { apiTestEnv } from '@prod-e/api-config/testing';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { Test } from '@nestjs/testing';

import { AppModule } from '../../src/app/app.module';
import { configureApp } from '../../src/app/configure-app';
import { createFastifyAdapter } from '../../src/app/fastify-adapter';
import { DatabaseConnection } from '../../src/services/database/database-connection.service';

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly config: ApiConfig;
  /** Log lines the app wrote (only with `captureLogs`). */
  readonly logs: string[];
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Environment on top of apiTestEnv (MIGRATIONS_RUN=true by default). */
  readonly env?: Record<string, string | undefined>;
  /** Record log lines at this level in `logs`. */
  readonly captureLogs?: 'info' | 'debug';
  /** Wait for the database connection (and migrations) before returning. @default true */
  readonly waitForDatabase?: boolean;
}

/** Boots the real app (same module, adapter and setup as main.ts) on Fastify, not listening. */
export async function startTestApp(
  databaseUrl: string,
  options: TestAppOptions = {},
): Promise<TestApp> {
  const config = loadApiConfig(
    apiTestEnv({
      DATABASE_URL: databaseUrl,
      MIGRATIONS_RUN: 'true',
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
  await app.init();
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.ready();
  if (options.waitForDatabase !== false) await app.get(DatabaseConnection).whenReady();
  return {
    app,
    config,
    logs,
    inject: (opts) => fastify.inject(opts),
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
