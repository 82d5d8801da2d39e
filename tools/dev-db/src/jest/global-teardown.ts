import type { DevDb } from '../lib/dev-db';
import { TEST_DB_HANDLE } from './handle';

/** Jest globalTeardown: stops the server globalSetup started (if it started one). */
export default async function globalTeardown(): Promise<void> {
  const db = (globalThis as Record<symbol, unknown>)[TEST_DB_HANDLE] as DevDb | undefined;
  await db?.dispose();
}
