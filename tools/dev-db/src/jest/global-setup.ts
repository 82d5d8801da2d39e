import { join } from 'node:path';

import { freePort } from '@prod-e/cli-kit';

import { startDevDb } from '../lib/dev-db';
import { TEST_DB_ROOT_DIR } from '../lib/paths';
import { TEST_DB_HANDLE } from './handle';

/**
 * Jest globalSetup: one throwaway PostgreSQL for the whole test run, published to the test
 * workers as TEST_DATABASE_URL (workers inherit the environment). A TEST_DATABASE_URL that is
 * already set wins, and nothing starts.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  const db = await startDevDb({
    dataDir: join(TEST_DB_ROOT_DIR, `run-${process.pid}`),
    port: await freePort(),
    database: 'postgres',
    temporary: true,
  });
  process.env.TEST_DATABASE_URL = db.url;
  (globalThis as Record<symbol, unknown>)[TEST_DB_HANDLE] = db;
}
