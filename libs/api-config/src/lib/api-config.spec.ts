import { apiTestEnv } from '../testing';
import {
  DEFAULT_DB_POOL_MAX,
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  loadApiConfig,
} from './api-config';
import { ConfigError } from './config-error';

function problemsFor(env: Record<string, string | undefined>) {
  try {
    loadApiConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected loadApiConfig to throw');
}

describe('loadApiConfig', () => {
  describe('with a valid environment', () => {
    it('applies the documented defaults', () => {
      const config = loadApiConfig(apiTestEnv());

      expect(config.port).toBe(3000);
      expect(config.host).toBe('0.0.0.0');
      expect(config.database.poolMax).toBe(DEFAULT_DB_POOL_MAX);
      expect(config.http.keepAliveTimeoutMs).toBe(DEFAULT_KEEP_ALIVE_TIMEOUT_MS);
      expect(config.http.headersTimeoutMs).toBe(DEFAULT_HEADERS_TIMEOUT_MS);
      expect(config.health).toEqual({ dbTimeoutMs: 1000, cacheTtlMs: 1000 });
      expect(config.shutdownTimeoutMs).toBe(10_000);
      expect(config.migrationsRun).toBe(true);
      expect(config.docsEnabled).toBe(true);
      expect(config.auth).toEqual({ enabled: false, tokens: [] });
      expect(config.requestLog.retentionDays).toBe(30);
      expect(config.analytics).toEqual({ poolMax: 2, queueMax: 8, statementTimeoutMs: 5_000 });
    });

    it('parses DATABASE_URL into discrete connection settings', () => {
      const config = loadApiConfig(
        apiTestEnv({
          DATABASE_URL: 'postgresql://app%40x:p%2Fss@db.internal:6543/orders?sslmode=require',
        }),
      );

      expect(config.database).toMatchObject({
        host: 'db.internal',
        port: 6543,
        name: 'orders',
        user: 'app@x',
        password: 'p/ss',
        ssl: 'require',
        applicationName: 'prod-e-api',
      });
    });

    it('accepts the discrete DB_* keys that ECS injects from Secrets Manager', () => {
      const config = loadApiConfig({
        NODE_ENV: 'production',
        API_TOKENS: 'a-token-of-sixteen-chars',
        DB_HOST: 'prod-e-db.abc.us-west-2.rds.amazonaws.com',
        DB_NAME: 'prod_e',
        DB_USER: 'prod_e_admin',
        DB_PASSWORD: 'secret',
      });

      expect(config.database).toMatchObject({
        host: 'prod-e-db.abc.us-west-2.rds.amazonaws.com',
        port: 5432,
        ssl: 'require',
      });
      expect(config.isProduction).toBe(true);
      expect(config.migrationsRun).toBe(false);
      expect(config.docsEnabled).toBe(false);
      expect(config.auth.enabled).toBe(true);
    });

    it('splits comma-separated lists and ignores blanks', () => {
      const config = loadApiConfig(
        apiTestEnv({
          CORS_ORIGINS: 'https://a.example, https://b.example,',
          API_TOKENS: 'old-token-0123456789,new-token-0123456789',
        }),
      );

      expect(config.http.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
      expect(config.auth.tokens).toEqual(['old-token-0123456789', 'new-token-0123456789']);
    });

    it('treats empty values as unset', () => {
      expect(loadApiConfig(apiTestEnv({ PORT: '' })).port).toBe(3000);
    });

    it('returns a frozen object', () => {
      const config = loadApiConfig(apiTestEnv());

      expect(Object.isFrozen(config)).toBe(true);
      expect(Object.isFrozen(config.database)).toBe(true);
    });
  });

  describe('with one invalid key', () => {
    it.each([
      ['PORT', 'abc', /whole number from 1 to 65535/],
      ['PORT', '70000', /whole number from 1 to 65535/],
      ['LOG_LEVEL', 'loud', /must be one of/],
      ['NODE_ENV', 'staging', /development, production or test/],
      ['DATABASE_URL', 'mysql://x@y/z', /postgres/],
      ['DB_POOL_MAX', '0', /whole number/],
      ['REQUEST_LOG_ENABLED', 'maybe', /true or false/],
      ['CORS_ORIGINS', 'not a url', /origins/],
      ['DB_SSL', 'sometimes', /disable, require or verify-full/],
      ['API_AUTH', 'maybe', /on or off/],
      // Plain decimal digits only: Number() reads each of these, the config does not.
      ['PORT', '0x1005', /whole number from 1 to 65535/],
      ['PORT', '4109.0', /whole number from 1 to 65535/],
      ['PORT', '4e3', /whole number from 1 to 65535/],
      ['PORT', '+4109', /whole number from 1 to 65535/],
      ['PORT', ' 4109', /whole number from 1 to 65535/],
      ['REQUEST_LOG_RETENTION_DAYS', '0', /whole number from 1 to 3650/],
      ['REQUEST_LOG_RETENTION_DAYS', '7d', /whole number from 1 to 3650/],
    ])('reports %s=%s', (key, value, message) => {
      expect(problemsFor(apiTestEnv({ [key]: value }))).toEqual([
        { key, message: expect.stringMatching(message) },
      ]);
    });

    it('requires each DB_* key when DATABASE_URL is missing', () => {
      expect(problemsFor({ NODE_ENV: 'test', DB_HOST: 'h' }).map((p) => p.key)).toEqual([
        'DB_NAME',
        'DB_PASSWORD',
        'DB_USER',
      ]);
    });

    it('refuses DATABASE_URL together with DB_* keys', () => {
      expect(problemsFor(apiTestEnv({ DB_HOST: 'elsewhere' }))).toEqual([
        { key: 'DB_HOST', message: expect.stringMatching(/not both/) },
      ]);
    });

    it('requires headersTimeout above keepAliveTimeout', () => {
      expect(problemsFor(apiTestEnv({ HEADERS_TIMEOUT_MS: '65000' })).map((p) => p.key)).toEqual([
        'HEADERS_TIMEOUT_MS',
      ]);
    });

    it('refuses a metrics port equal to the API port, and lets the OS choose with 0', () => {
      expect(problemsFor(apiTestEnv({ PORT: '8080', METRICS_PORT: '8080' }))).toEqual([
        { key: 'METRICS_PORT', message: expect.stringMatching(/differ from PORT/) },
      ]);
      expect(loadApiConfig(apiTestEnv({ METRICS_PORT: '0' })).metricsPort).toBe(0);
    });

    it('refuses production without API tokens unless API_AUTH=off', () => {
      const production = apiTestEnv({ NODE_ENV: 'production' });

      expect(problemsFor(production)).toEqual([
        { key: 'API_TOKENS', message: expect.stringMatching(/API_AUTH=off/) },
      ]);
      expect(loadApiConfig({ ...production, API_AUTH: 'off' }).auth.enabled).toBe(false);
    });

    it('refuses short API tokens without echoing them', () => {
      const problems = problemsFor(apiTestEnv({ API_TOKENS: 'short-secret' }));

      expect(problems).toEqual([
        { key: 'API_TOKENS', message: expect.stringMatching(/at least 16/) },
      ]);
      expect(JSON.stringify(problems)).not.toContain('short-secret');
    });
  });

  describe('with several invalid keys at once', () => {
    it('reports the rules between keys together with every single-key problem', () => {
      const env = {
        NODE_ENV: 'test',
        DATABASE_URL: 'mysql://x',
        DB_HOST: 'elsewhere',
        PORT: '0x1005',
        LOG_LEVEL: 'loud',
        API_TOKENS: 'short',
        HEADERS_TIMEOUT_MS: '1000',
        KEEP_ALIVE_TIMEOUT_MS: '5000',
        DB_QUERY_TIMEOUT_MS: '200',
        DB_STATEMENT_TIMEOUT_MS: '300',
        REQUEST_LOG_BATCH_SIZE: '100',
        REQUEST_LOG_BUFFER_SIZE: '10',
        DB_ANALYTICS_STATEMENT_TIMEOUT_MS: '20000',
        SHUTDOWN_DRAIN_GRACE_MS: '6000',
      };

      expect(
        problemsFor(env)
          .map((p) => p.key)
          .sort(),
      ).toEqual(
        [
          'API_TOKENS',
          'DATABASE_URL',
          'DB_ANALYTICS_STATEMENT_TIMEOUT_MS',
          'DB_HOST',
          'DB_QUERY_TIMEOUT_MS',
          'HEADERS_TIMEOUT_MS',
          'LOG_LEVEL',
          'PORT',
          'REQUEST_LOG_BATCH_SIZE',
          'SHUTDOWN_DRAIN_GRACE_MS',
        ].sort(),
      );
    });

    it('skips a rule whose keys are themselves invalid (their own problem is listed)', () => {
      expect(
        problemsFor(apiTestEnv({ HEADERS_TIMEOUT_MS: 'soon', KEEP_ALIVE_TIMEOUT_MS: '5000' })),
      ).toEqual([{ key: 'HEADERS_TIMEOUT_MS', message: expect.stringMatching(/whole number/) }]);
    });

    it('lists every one of them in a single error', () => {
      const env = { NODE_ENV: 'prod', PORT: '-1', LOG_LEVEL: 'loud', DB_POOL_MAX: 'lots' };

      let error: unknown;
      try {
        loadApiConfig(env);
      } catch (caught) {
        error = caught;
      }

      expect(error).toBeInstanceOf(ConfigError);
      const { problems, message } = error as ConfigError;
      expect(problems.map((p) => p.key).sort()).toEqual(
        [
          'DB_HOST',
          'DB_NAME',
          'DB_PASSWORD',
          'DB_POOL_MAX',
          'DB_USER',
          'LOG_LEVEL',
          'NODE_ENV',
          'PORT',
        ].sort(),
      );
      expect(message).toMatch(/^Invalid API configuration \(8 problems\):\n {2}- /);
    });
  });
});
