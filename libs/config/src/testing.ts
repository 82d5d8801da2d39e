import { prod } from './environments/prod';

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

/** An image tag shaped like the git SHA CI deploys. */
export const TEST_IMAGE_TAG = '0123456789abcdef0123456789abcdef01234567';

/** prod's committed settings with an image tag: a complete prod stack without any variables. */
export const prodDeploymentInput = { ...prod, imageTag: TEST_IMAGE_TAG } as const;
