import { join, resolve } from 'node:path';

/** The workspace root, from this file's place in tools/dev-db/src/lib. */
export const WORKSPACE_ROOT = resolve(__dirname, '../../../..');

/** Data of the `nx serve api` database: kept between runs, git-ignored (tmp/). */
export const DEV_DB_DATA_DIR = join(WORKSPACE_ROOT, 'tmp', 'dev-db');

/** Parent of the throwaway clusters that test runs start. */
export const TEST_DB_ROOT_DIR = join(WORKSPACE_ROOT, 'tmp', 'dev-db-test');

/**
 * Environment keys that move the `nx serve api` database (`nx run dev-db:start`), e.g. for a
 * second checkout running at the same time, or a test that must not touch the developer's own.
 */
export const DEV_DB_ENV = { port: 'DEV_DB_PORT', dataDir: 'DEV_DB_DIR' } as const;
