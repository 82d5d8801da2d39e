import { API_PORT, METRICS_PORT } from '@prod-e/health-contract';
import { z } from 'zod';

import { ConfigError } from './config-error';
import { commaList, flag, integer, withoutEmptyValues } from './env-types';
import { DEFAULT_METRICS_EMF_INTERVAL_MS, SERVICE_METRICS_NAMESPACE } from './service-metrics';

// Defaults, with units (docs/api.md, "Configuration", explains each one).
export const DEFAULT_BODY_LIMIT_BYTES = 100 * 1024;
/** Connections for request-log reads, apart from the main pool (health probe, log writer). */
export const DEFAULT_DB_ANALYTICS_POOL_MAX = 2;
/** Reads waiting for an analytics connection beyond which new ones are refused (503). */
export const DEFAULT_DB_ANALYTICS_QUEUE_MAX = 8;
/** Inside the ALB's 60 s idle timeout and below SHUTDOWN_TIMEOUT_MS, so a drain never waits on one. */
export const DEFAULT_DB_ANALYTICS_STATEMENT_TIMEOUT_MS = 5_000;
export const DEFAULT_DB_CONNECT_TIMEOUT_MS = 3_000;
export const DEFAULT_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;
export const DEFAULT_DB_IDLE_TIMEOUT_MS = 30_000;
export const DEFAULT_DB_POOL_MAX = 10;
export const DEFAULT_DB_PORT = 5432;
export const DEFAULT_DB_QUERY_TIMEOUT_MS = 12_000;
export const DEFAULT_DB_STATEMENT_TIMEOUT_MS = 10_000;
/** Above the ALB's 60 s idle timeout, or the ALB reuses a closed connection and returns 502. */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 65_000;
export const DEFAULT_HEADERS_TIMEOUT_MS = 66_000;
export const DEFAULT_HEALTH_CACHE_TTL_MS = 1_000;
export const DEFAULT_HEALTH_DB_TIMEOUT_MS = 1_000;
export const DEFAULT_RATE_LIMIT_MAX = 100;
export const DEFAULT_RATE_LIMIT_WINDOW_MS = 60_000;
export const DEFAULT_REQUEST_LOG_BATCH_SIZE = 500;
export const DEFAULT_REQUEST_LOG_BUFFER_SIZE = 10_000;
export const DEFAULT_REQUEST_LOG_FLUSH_INTERVAL_MS = 1_000;
export const DEFAULT_REQUEST_LOG_RETENTION_DAYS = 30;
/** As long as a buffered row may wait to be written: reads are no staler than writes already are. */
export const DEFAULT_REQUEST_LOG_READ_CACHE_TTL_MS = DEFAULT_REQUEST_LOG_FLUSH_INTERVAL_MS;
/** How often each instance tries to prune the request log (one at a time: advisory lock). */
export const REQUEST_LOG_RETENTION_INTERVAL_MS = 15 * 60_000;
/** Rows deleted per statement: short transactions, short locks, no long WAL burst. */
export const REQUEST_LOG_RETENTION_BATCH_ROWS = 5_000;
/** Well inside ECS's 30 s stopTimeout. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
/**
 * After SIGTERM, how long the connections stay open with nothing in flight, so a request sent
 * just then on a keep-alive connection is answered (with `Connection: close`), not reset.
 */
export const DEFAULT_SHUTDOWN_DRAIN_GRACE_MS = 1_000;
export const MIN_API_TOKEN_LENGTH = 16;
export const DB_APPLICATION_NAME = 'prod-e-api';
/**
 * The database role the service connects as in AWS (IAM authentication, DML only); a migration
 * creates it. The master user is for migrations alone.
 */
export const DB_SERVICE_USER = 'prod_e_api';

const DB_DISCRETE_KEYS = ['DB_HOST', 'DB_NAME', 'DB_PASSWORD', 'DB_USER'] as const;

/**
 * The only reader of the API's environment. Keys are alphabetical; each default is a named
 * constant above. Rules between keys are in crossKeyProblems.
 */
export const apiEnvSchema = z
  .object({
    API_AUTH: z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
    API_TOKENS: commaList()
      .pipe(
        z.array(
          z.string().min(MIN_API_TOKEN_LENGTH, {
            error: `each token must be at least ${MIN_API_TOKEN_LENGTH} characters`,
          }),
        ),
      )
      .default([]),
    APP_VERSION: z.string().default('dev'),
    BODY_LIMIT_BYTES: integer(1, 100 * 1024 * 1024).default(DEFAULT_BODY_LIMIT_BYTES),
    CORS_ORIGINS: commaList()
      .pipe(
        z.array(
          z.url({
            protocol: /^https?$/,
            error: 'must be a comma-separated list of http(s) origins',
          }),
        ),
      )
      .default([]),
    DATABASE_URL: z
      .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' })
      .optional(),
    DB_ANALYTICS_POOL_MAX: integer(1, 50).default(DEFAULT_DB_ANALYTICS_POOL_MAX),
    DB_ANALYTICS_QUEUE_MAX: integer(0, 1_000).default(DEFAULT_DB_ANALYTICS_QUEUE_MAX),
    DB_ANALYTICS_STATEMENT_TIMEOUT_MS: integer(100, 600_000).default(
      DEFAULT_DB_ANALYTICS_STATEMENT_TIMEOUT_MS,
    ),
    /**
     * `iam`: a fresh RDS IAM authentication token for every new connection (nothing to go stale
     * when credentials rotate), signed for DB_REGION; `password`: DB_PASSWORD or the URL's.
     */
    DB_AUTH: z.enum(['password', 'iam'], { error: 'must be password or iam' }).default('password'),
    DB_CONNECT_TIMEOUT_MS: integer(100, 60_000).default(DEFAULT_DB_CONNECT_TIMEOUT_MS),
    DB_HOST: z.string().optional(),
    DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: integer(1_000, 3_600_000).default(
      DEFAULT_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    ),
    DB_IDLE_TIMEOUT_MS: integer(1_000, 3_600_000).default(DEFAULT_DB_IDLE_TIMEOUT_MS),
    DB_NAME: z.string().optional(),
    DB_PASSWORD: z.string().optional(),
    DB_POOL_MAX: integer(1, 100).default(DEFAULT_DB_POOL_MAX),
    DB_PORT: integer(1, 65_535).default(DEFAULT_DB_PORT),
    DB_QUERY_TIMEOUT_MS: integer(100, 600_000).default(DEFAULT_DB_QUERY_TIMEOUT_MS),
    DB_REGION: z
      .string()
      .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { error: 'must be an AWS region such as us-west-2' })
      .optional(),
    DB_SSL: z
      .enum(['disable', 'require', 'verify-full'], {
        error: 'must be disable, require or verify-full',
      })
      .optional(),
    /** PEM file of the CAs that verify-full trusts. @default the RDS CA bundle the API carries */
    DB_SSL_CA_FILE: z.string().min(1).optional(),
    DB_STATEMENT_TIMEOUT_MS: integer(100, 600_000).default(DEFAULT_DB_STATEMENT_TIMEOUT_MS),
    DB_USER: z.string().optional(),
    DOCS_ENABLED: flag().optional(),
    HEADERS_TIMEOUT_MS: integer(1_000, 600_000).default(DEFAULT_HEADERS_TIMEOUT_MS),
    HEALTH_CACHE_TTL_MS: integer(0, 60_000).default(DEFAULT_HEALTH_CACHE_TTL_MS),
    HEALTH_DB_TIMEOUT_MS: integer(50, 10_000).default(DEFAULT_HEALTH_DB_TIMEOUT_MS),
    HOST: z.string().default('0.0.0.0'),
    KEEP_ALIVE_TIMEOUT_MS: integer(1_000, 600_000).default(DEFAULT_KEEP_ALIVE_TIMEOUT_MS),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
    /** CloudWatch Embedded Metric Format lines on stdout (the awslogs driver ships them). */
    METRICS_EMF: flag().default(false),
    METRICS_EMF_INTERVAL_MS: integer(1_000, 3_600_000).default(DEFAULT_METRICS_EMF_INTERVAL_MS),
    METRICS_EMF_NAMESPACE: z
      .string()
      .regex(/^(?!AWS\/)[\w.\-/#: ]{1,255}$/, {
        error: 'must be a CloudWatch namespace (letters, digits, . - _ / # : and space; not AWS/)',
      })
      .default(SERVICE_METRICS_NAMESPACE),
    METRICS_ENABLED: flag().default(true),
    /** The Prometheus listener's own port; 0 lets the OS choose one (tests run side by side). */
    METRICS_PORT: integer(0, 65_535).default(METRICS_PORT),
    MIGRATIONS_RUN: flag().optional(),
    NODE_ENV: z
      .enum(['development', 'production', 'test'], {
        error: 'must be development, production or test',
      })
      .default('development'),
    PORT: integer(1, 65_535).default(API_PORT),
    RATE_LIMIT_MAX: integer(1, 1_000_000).default(DEFAULT_RATE_LIMIT_MAX),
    RATE_LIMIT_WINDOW_MS: integer(1_000, 3_600_000).default(DEFAULT_RATE_LIMIT_WINDOW_MS),
    /**
     * How many proxies in front of the API append to X-Forwarded-For: 0 (none, the socket's
     * address is the client), 1 (an ALB), 2 (CloudFront, then an ALB). The client is the address
     * that many hops from the right, so a value the client wrote itself is never believed.
     */
    TRUSTED_PROXY_HOPS: integer(0, 5).default(0),
    REQUEST_LOG_BATCH_SIZE: integer(1, 10_000).default(DEFAULT_REQUEST_LOG_BATCH_SIZE),
    REQUEST_LOG_BUFFER_SIZE: integer(1, 1_000_000).default(DEFAULT_REQUEST_LOG_BUFFER_SIZE),
    REQUEST_LOG_ENABLED: flag().default(true),
    REQUEST_LOG_FLUSH_INTERVAL_MS: integer(10, 60_000).default(
      DEFAULT_REQUEST_LOG_FLUSH_INTERVAL_MS,
    ),
    REQUEST_LOG_READ_CACHE_TTL_MS: integer(0, 60_000).default(
      DEFAULT_REQUEST_LOG_READ_CACHE_TTL_MS,
    ),
    REQUEST_LOG_RETENTION_DAYS: integer(1, 3_650).default(DEFAULT_REQUEST_LOG_RETENTION_DAYS),
    SHUTDOWN_DRAIN_GRACE_MS: integer(0, 60_000).default(DEFAULT_SHUTDOWN_DRAIN_GRACE_MS),
    SHUTDOWN_TIMEOUT_MS: integer(100, 120_000).default(DEFAULT_SHUTDOWN_TIMEOUT_MS),
  })
  .describe('Environment of the API server (`node main.js`)');

export type ApiEnv = z.infer<typeof apiEnvSchema>;

type ApiEnvKey = keyof typeof apiEnvSchema.shape;

/**
 * The rules between keys, checked on each key's own parse, so they are reported together with
 * every single-key problem rather than only once all of those are fixed. A rule whose keys are
 * themselves invalid is skipped: that key's own problem is already in the list.
 */
function crossKeyProblems(input: Record<string, string>): z.core.$ZodIssue[] {
  const issues: z.core.$ZodIssue[] = [];
  const problem = (key: ApiEnvKey, message: string) =>
    issues.push({ code: 'custom', path: [key], message, input: input[key] });
  const valueOf = <K extends ApiEnvKey>(key: K): ApiEnv[K] | undefined => {
    const result = apiEnvSchema.shape[key].safeParse(input[key]);
    return result.success ? (result.data as ApiEnv[K]) : undefined;
  };
  /** True when both keys are valid numbers that break the rule. */
  const breaks = (a: ApiEnvKey, b: ApiEnvKey, rule: (a: number, b: number) => boolean) => {
    const [x, y] = [valueOf(a), valueOf(b)];
    return typeof x === 'number' && typeof y === 'number' && !rule(x, y);
  };

  const iam = valueOf('DB_AUTH') === 'iam';
  for (const key of DB_DISCRETE_KEYS) {
    if (input.DATABASE_URL !== undefined && input[key] !== undefined) {
      problem(key, 'set either DATABASE_URL or the DB_* keys, not both');
    } else if (input.DATABASE_URL === undefined && input[key] === undefined) {
      if (!(key === 'DB_PASSWORD' && iam)) problem(key, 'required when DATABASE_URL is not set');
    }
  }
  if (iam) {
    if (input.DB_REGION === undefined) problem('DB_REGION', 'required when DB_AUTH=iam');
    if (input.DB_PASSWORD !== undefined)
      problem('DB_PASSWORD', 'must not be set when DB_AUTH=iam (tokens replace it)');
    if (input.DB_SSL !== undefined && input.DB_SSL !== 'verify-full')
      problem(
        'DB_SSL',
        'must be verify-full when DB_AUTH=iam (a token must not reach an unverified server)',
      );
  }
  if (breaks('HEADERS_TIMEOUT_MS', 'KEEP_ALIVE_TIMEOUT_MS', (h, k) => h > k)) {
    problem('HEADERS_TIMEOUT_MS', 'must be greater than KEEP_ALIVE_TIMEOUT_MS');
  }
  if (breaks('DB_QUERY_TIMEOUT_MS', 'DB_STATEMENT_TIMEOUT_MS', (q, st) => q > st)) {
    problem(
      'DB_QUERY_TIMEOUT_MS',
      'must be greater than DB_STATEMENT_TIMEOUT_MS, so the server cancels first',
    );
  }
  if (breaks('DB_ANALYTICS_STATEMENT_TIMEOUT_MS', 'SHUTDOWN_TIMEOUT_MS', (a, st) => a < st)) {
    problem(
      'DB_ANALYTICS_STATEMENT_TIMEOUT_MS',
      'must be less than SHUTDOWN_TIMEOUT_MS, so a drain never waits on a statistics query',
    );
  }
  if (breaks('SHUTDOWN_DRAIN_GRACE_MS', 'SHUTDOWN_TIMEOUT_MS', (g, st) => g * 2 <= st)) {
    problem(
      'SHUTDOWN_DRAIN_GRACE_MS',
      'must be at most half of SHUTDOWN_TIMEOUT_MS (the drain gets half, the flush the rest)',
    );
  }
  if (breaks('METRICS_PORT', 'PORT', (m, p) => m !== p)) {
    problem('METRICS_PORT', 'must differ from PORT (metrics have a listener of their own)');
  }
  if (breaks('REQUEST_LOG_BATCH_SIZE', 'REQUEST_LOG_BUFFER_SIZE', (b, n) => b <= n)) {
    problem('REQUEST_LOG_BATCH_SIZE', 'must not exceed REQUEST_LOG_BUFFER_SIZE');
  }
  const tokens = valueOf('API_TOKENS');
  const noTokens = input.API_TOKENS === undefined || (tokens !== undefined && tokens.length === 0);
  if (valueOf('NODE_ENV') === 'production' && valueOf('API_AUTH') !== 'off' && noTokens) {
    problem(
      'API_TOKENS',
      'required when NODE_ENV=production (set API_AUTH=off to run without access control on purpose)',
    );
  }
  return issues;
}

export interface DatabaseConfig {
  readonly host: string;
  readonly port: number;
  readonly name: string;
  readonly user: string;
  readonly password: string;
  readonly ssl: 'disable' | 'require' | 'verify-full';
  /** Set: connect with RDS IAM authentication tokens signed for this region, not `password`. */
  readonly iamAuth?: { readonly region: string };
  /** PEM file of the CAs verify-full trusts. @default the RDS CA bundle */
  readonly sslCaFile?: string;
  readonly applicationName: string;
  readonly poolMax: number;
  readonly connectTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly idleInTransactionTimeoutMs: number;
  readonly statementTimeoutMs: number;
  readonly queryTimeoutMs: number;
}

/** The pool that serves request-log reads, so they cannot take the main pool's connections. */
export interface AnalyticsPoolConfig {
  readonly poolMax: number;
  readonly queueMax: number;
  readonly statementTimeoutMs: number;
}

export interface ApiConfig {
  readonly nodeEnv: ApiEnv['NODE_ENV'];
  readonly isProduction: boolean;
  readonly version: string;
  readonly host: string;
  readonly port: number;
  readonly logLevel: ApiEnv['LOG_LEVEL'];
  readonly auth: { readonly enabled: boolean; readonly tokens: readonly string[] };
  readonly database: DatabaseConfig;
  readonly analytics: AnalyticsPoolConfig;
  readonly docsEnabled: boolean;
  readonly health: { readonly dbTimeoutMs: number; readonly cacheTtlMs: number };
  readonly http: {
    readonly bodyLimitBytes: number;
    readonly corsOrigins: readonly string[];
    readonly keepAliveTimeoutMs: number;
    readonly headersTimeoutMs: number;
    readonly rateLimit: { readonly max: number; readonly windowMs: number };
    readonly trustedProxyHops: number;
  };
  readonly metricsEnabled: boolean;
  readonly metricsPort: number;
  /** Embedded Metric Format publishing. */
  readonly emf: {
    readonly enabled: boolean;
    readonly intervalMs: number;
    readonly namespace: string;
  };
  readonly migrationsRun: boolean;
  readonly requestLog: {
    readonly enabled: boolean;
    readonly bufferSize: number;
    readonly batchSize: number;
    readonly flushIntervalMs: number;
    /** How long a read's answer is reused for the same query (0: every read queries). */
    readonly readCacheTtlMs: number;
    readonly retentionDays: number;
  };
  readonly shutdownTimeoutMs: number;
  readonly shutdownDrainGraceMs: number;
}

type Connection = Pick<DatabaseConfig, 'host' | 'port' | 'name' | 'user' | 'password'> & {
  ssl?: DatabaseConfig['ssl'];
};

function connectionFromUrl(url: string): Connection {
  const parsed = new URL(url);
  const sslmode = parsed.searchParams.get('sslmode');
  return {
    host: decodeURIComponent(parsed.hostname),
    port: parsed.port ? Number(parsed.port) : DEFAULT_DB_PORT,
    name: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres',
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    ssl:
      sslmode === 'verify-full' || sslmode === 'require' || sslmode === 'disable'
        ? sslmode
        : undefined,
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

function toApiConfig(env: ApiEnv): ApiConfig {
  const isProduction = env.NODE_ENV === 'production';
  const connection: Connection = env.DATABASE_URL
    ? connectionFromUrl(env.DATABASE_URL)
    : {
        host: env.DB_HOST as string,
        port: env.DB_PORT,
        name: env.DB_NAME as string,
        user: env.DB_USER as string,
        password: env.DB_PASSWORD ?? '',
      };
  return {
    nodeEnv: env.NODE_ENV,
    isProduction,
    version: env.APP_VERSION,
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    auth: { enabled: env.API_AUTH === 'on' && env.API_TOKENS.length > 0, tokens: env.API_TOKENS },
    database: {
      ...connection,
      // RDS forces TLS (rds.force_ssl=1), so production defaults to it.
      ssl:
        env.DB_SSL ??
        connection.ssl ??
        (env.DB_AUTH === 'iam' ? 'verify-full' : isProduction ? 'require' : 'disable'),
      ...(env.DB_AUTH === 'iam' ? { iamAuth: { region: env.DB_REGION as string } } : {}),
      ...(env.DB_SSL_CA_FILE ? { sslCaFile: env.DB_SSL_CA_FILE } : {}),
      applicationName: DB_APPLICATION_NAME,
      poolMax: env.DB_POOL_MAX,
      connectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS,
      idleTimeoutMs: env.DB_IDLE_TIMEOUT_MS,
      idleInTransactionTimeoutMs: env.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
      statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
      queryTimeoutMs: env.DB_QUERY_TIMEOUT_MS,
    },
    analytics: {
      poolMax: env.DB_ANALYTICS_POOL_MAX,
      queueMax: env.DB_ANALYTICS_QUEUE_MAX,
      statementTimeoutMs: env.DB_ANALYTICS_STATEMENT_TIMEOUT_MS,
    },
    // Off by default in production: the API docs are operational detail, not a public page.
    docsEnabled: env.DOCS_ENABLED ?? !isProduction,
    health: { dbTimeoutMs: env.HEALTH_DB_TIMEOUT_MS, cacheTtlMs: env.HEALTH_CACHE_TTL_MS },
    http: {
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
      corsOrigins: env.CORS_ORIGINS,
      keepAliveTimeoutMs: env.KEEP_ALIVE_TIMEOUT_MS,
      headersTimeoutMs: env.HEADERS_TIMEOUT_MS,
      rateLimit: { max: env.RATE_LIMIT_MAX, windowMs: env.RATE_LIMIT_WINDOW_MS },
      trustedProxyHops: env.TRUSTED_PROXY_HOPS,
    },
    metricsEnabled: env.METRICS_ENABLED,
    metricsPort: env.METRICS_PORT,
    emf: {
      enabled: env.METRICS_EMF,
      intervalMs: env.METRICS_EMF_INTERVAL_MS,
      namespace: env.METRICS_EMF_NAMESPACE,
    },
    // Production runs migrations as a one-off task before the service update, not at start.
    migrationsRun: env.MIGRATIONS_RUN ?? !isProduction,
    requestLog: {
      enabled: env.REQUEST_LOG_ENABLED,
      bufferSize: env.REQUEST_LOG_BUFFER_SIZE,
      batchSize: env.REQUEST_LOG_BATCH_SIZE,
      flushIntervalMs: env.REQUEST_LOG_FLUSH_INTERVAL_MS,
      readCacheTtlMs: env.REQUEST_LOG_READ_CACHE_TTL_MS,
      retentionDays: env.REQUEST_LOG_RETENTION_DAYS,
    },
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    shutdownDrainGraceMs: env.SHUTDOWN_DRAIN_GRACE_MS,
  };
}

/**
 * Reads the API's configuration from an environment (default `process.env`).
 * @returns a typed, deeply frozen object
 * @throws ConfigError listing every bad or missing key at once
 */
export function loadApiConfig(env: Record<string, string | undefined> = process.env): ApiConfig {
  const input = withoutEmptyValues(env) as Record<string, string>;
  const result = apiEnvSchema.safeParse(input);
  const issues = [...(result.error?.issues ?? []), ...crossKeyProblems(input)];
  if (!result.success || issues.length > 0) {
    throw ConfigError.fromZod('API configuration', new z.ZodError(issues), 'variable');
  }
  return deepFreeze(toApiConfig(result.data));
}
