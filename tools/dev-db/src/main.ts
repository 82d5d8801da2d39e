/**
 * `nx run dev-db:start` (continuous; `nx serve api` depends on it): keeps a local PostgreSQL
 * running for the API until Ctrl-C, then shuts it down cleanly. With DATABASE_URL set, the API
 * uses that database instead, so nothing starts here.
 */
import { type DevDb, devDbSettings, devDbUrl, runningServerPid, startDevDb } from './index';

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const WATCH_INTERVAL_MS = 2_000;

function idleUntilSignalled(): void {
  const idle = setInterval(() => undefined, 1 << 30);
  for (const signal of SHUTDOWN_SIGNALS) process.once(signal, () => clearInterval(idle));
}

/** Ctrl-C, Nx stopping the task, or a closed terminal: a fast, clean shutdown, then exit 0. */
function stopOnSignals(db: DevDb, watcher: NodeJS.Timeout): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    clearInterval(watcher);
    console.log(`dev-db: ${signal}, stopping PostgreSQL`);
    db.stop().then(
      () => {
        console.log('dev-db: PostgreSQL shut down cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(error instanceof Error ? error.message : error);
        process.exit(1);
      },
    );
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, stop);
}

/** The server runs detached from this process: notice when it dies and say so. */
function watchServer(db: DevDb): NodeJS.Timeout {
  return setInterval(() => {
    void runningServerPid(db.dataDir).then((pid) => {
      if (pid !== undefined) return;
      console.error(`dev-db: PostgreSQL exited; see ${db.dataDir}/server.log`);
      process.exit(1);
    });
  }, WATCH_INTERVAL_MS);
}

async function main(): Promise<void> {
  if (process.env.DATABASE_URL) {
    console.log('dev-db: DATABASE_URL is set, so the API uses it; no embedded PostgreSQL started.');
    // Stay up like the real server would, so the continuous task only ends with Ctrl-C.
    idleUntilSignalled();
    return;
  }
  const settings = devDbSettings();
  const db = await startDevDb({ ...settings, onNotice: (line) => console.log(line) });
  stopOnSignals(db, watchServer(db));
  console.log(`dev-db: PostgreSQL ready at ${devDbUrl(db.port).replace(/:[^:@/]+@/, ':***@')}`);
  console.log(`dev-db: data in ${db.dataDir}; Ctrl-C stops it.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
