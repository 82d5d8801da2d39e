/** A minimal valid API environment for tests: point it at any database with DATABASE_URL. */
export function apiTestEnv(
  overrides: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: 'postgres://prod_e:prod_e@127.0.0.1:5432/prod_e',
    LOG_LEVEL: 'silent',
    ...overrides,
  };
}
