import { join, resolve } from 'node:path';
import {
  API_NODE_FLAGS,
  type apiEnvSchema,
  DEFAULT_HEALTH_CACHE_TTL_MS,
  loadApiConfig,
} from '@prod-e/api-config';
import { HEALTH_PATH, LIVENESS_PATH } from '@prod-e/health-contract';
import type { z } from 'zod';

import type { AppSpec } from './server';

/** The workspace root, from this file's place in bench/src/lib. */
export const WORKSPACE_ROOT = resolve(__dirname, '../../..');
/** `nx build api` output: the bundle the container runs with `node main.js`. */
export const API_SCRIPT = join(WORKSPACE_ROOT, 'dist/apps/api/main.js');
/** `nx run bench:build-baseline` output (tsc, as `nest build` does). */
export const BASELINE_SCRIPT = join(WORKSPACE_ROOT, 'dist/bench/baseline/main.js');

/** The floor servers (`nx run bench:build-floor`): the same endpoints on bare Fastify and node:http. */
export const FLOOR_FASTIFY_SCRIPT = join(WORKSPACE_ROOT, 'dist/bench/floor/fastify.js');
export const FLOOR_NODE_HTTP_SCRIPT = join(WORKSPACE_ROOT, 'dist/bench/floor/node-http.js');

/** The request-logged read every app serves. */
export const REQUESTS_PATH = '/api/requests?limit=10';

/** A token for prod-e's /api routes (production refuses to start without one). */
export const BENCH_API_TOKEN = 'bench-token-not-a-secret-0123456789';
export const AUTH_HEADERS = { authorization: `Bearer ${BENCH_API_TOKEN}` } as const;
export const HEALTH_CACHE_TTL_MS = DEFAULT_HEALTH_CACHE_TTL_MS;

type ApiEnv = Partial<Record<keyof z.input<typeof apiEnvSchema>, string>>;

/**
 * prod-e as it runs in production (NODE_ENV=production, LOG_LEVEL=info, auth on), with four
 * bench-only changes, all stated in docs/performance.md: TLS off (the local server has none),
 * migrations off at start (applied once before measuring, as the migration task does), and a
 * rate limit high enough not to turn the load into 429s (the limiter still runs), and the metrics
 * listener on a port the OS chooses.
 */
export function prodEEnv(databaseUrl: string, overrides: ApiEnv = {}): ApiEnv {
  const env: ApiEnv = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    DB_SSL: 'disable',
    LOG_LEVEL: 'info',
    API_TOKENS: BENCH_API_TOKEN,
    MIGRATIONS_RUN: 'false',
    RATE_LIMIT_MAX: '1000000',
    HEALTH_CACHE_TTL_MS: String(HEALTH_CACHE_TTL_MS),
    // Its own metrics listener on a port the OS chooses: servers side by side never collide.
    METRICS_PORT: '0',
    ...overrides,
  };
  // Fail here, naming every bad key, rather than as a server that never becomes ready.
  loadApiConfig(env);
  return env;
}

export interface AppSpecs {
  readonly baseline: AppSpec;
  readonly prodE: AppSpec;
  readonly prodENoLog: AppSpec;
  /** prod-e with every request-log read going to the database (no per-task reuse). */
  readonly prodENoReadReuse: AppSpec;
  readonly prodEMigrate: AppSpec;
  readonly floorFastify: AppSpec;
  readonly floorNodeHttp: AppSpec;
}

export function appSpecs(databaseUrl: string): AppSpecs {
  const prodE = (label: string, overrides: ApiEnv = {}): AppSpec => ({
    label,
    script: API_SCRIPT,
    env: prodEEnv(databaseUrl, overrides),
    // Run as the container runs it: API_START_COMMAND's flags.
    nodeFlags: API_NODE_FLAGS,
  });
  const floorEnv = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    HEALTH_CACHE_TTL_MS: String(HEALTH_CACHE_TTL_MS),
    FLOOR_LIVE_PATH: LIVENESS_PATH,
    FLOOR_HEALTH_PATH: HEALTH_PATH,
    FLOOR_REQUESTS_PATH: new URL(REQUESTS_PATH, 'http://x').pathname,
  };
  return {
    // The baseline reads only what the docs' sample reads: PORT and the database URL.
    baseline: {
      label: 'baseline',
      script: BASELINE_SCRIPT,
      env: { NODE_ENV: 'production', HOST: '127.0.0.1', DATABASE_URL: databaseUrl },
    },
    prodE: prodE('prod-e'),
    prodENoLog: prodE('prod-e log off', { REQUEST_LOG_ENABLED: 'false' }),
    prodENoReadReuse: prodE('prod-e read reuse off', { REQUEST_LOG_READ_CACHE_TTL_MS: '0' }),
    prodEMigrate: prodE('prod-e migrate', { MIGRATIONS_RUN: 'true' }),
    floorFastify: { label: 'bare Fastify', script: FLOOR_FASTIFY_SCRIPT, env: floorEnv },
    floorNodeHttp: { label: 'bare node:http', script: FLOOR_NODE_HTTP_SCRIPT, env: floorEnv },
  };
}
