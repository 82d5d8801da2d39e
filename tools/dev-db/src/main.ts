/**
 * `nx run dev-db:start` (continuous; `nx serve api` depends on it): keeps a local PostgreSQL
 * running for the API until Ctrl-C, then shuts it down cleanly. With DATABASE_URL set, the API
 * uses that database instead, so nothing starts here. Lines carry no prefix: Nx adds the
 * project's name.
 */
import { reportError, runCli, stderrOutput } from '@prod-e/cli-kit';

import { type DevDb, devDbSettings, devDbUrl, runningServerPid, startDevDb } from './index';

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const WATCH_INTERVAL_MS = 2_000;

function idleUntilSignalled(): void {
  const idle = setInterval(() => undefined, 1 << 30);
  for (const signal of SHUTDOWN_SIGNALS) process.once(signal, () => clearInterval(idle));
}

function stopAndExit(db: DevDb, signal: NodeJS.Signals): void {
  console.log(`${signal}: stopping PostgreSQL`);
  db.stop().then(
    () => {
      console.log('PostgreSQL shut down cleanly');
      process.exit(0);
    },
    (error: unknown) => process.exit(reportError(error, stderrOutput(), 'dev-db')),
  );
}

/** The server runs detached from this process: notice when it dies, and say so. */
function watchServer(db: DevDb): void {
  const timer = setInterval(() => {
    void runningServerPid(db.dataDir).then((pid) => {
      if (pid !== undefined) return;
      console.error(`PostgreSQL exited; see ${db.dataDir}/server.log`);
      process.exit(1);
    });
  }, WATCH_INTERVAL_MS);
  for (const signal of SHUTDOWN_SIGNALS) process.once(signal, () => clearInterval(timer));
}

async function main(): Promise<void> {
  if (process.env.DATABASE_URL) {
    console.log('DATABASE_URL is set, so the API uses it; no embedded PostgreSQL started.');
    // Stay up like the real server would, so the continuous task only ends with Ctrl-C.
    idleUntilSignalled();
    return;
  }
  // Ctrl-C, Nx stopping the task, or a closed terminal: a fast, clean shutdown, then exit 0. A
  // signal during start-up is kept until the server is up, so it is never left running.
  const run: { db?: DevDb; stopRequested?: NodeJS.Signals } = {};
  for (const signal of SHUTDOWN_SIGNALS) {
    process.on(signal, () => {
      if (run.stopRequested) return;
      run.stopRequested = signal;
      if (run.db) stopAndExit(run.db, signal);
    });
  }
  const db = await startDevDb({
    ...devDbSettings(),
    onNotice: (line) => console.log(line.replace(/^dev-db: /, '')),
  });
  run.db = db;
  if (run.stopRequested) return stopAndExit(db, run.stopRequested);
  watchServer(db);
  console.log(`PostgreSQL ready at ${devDbUrl(db.port).replace(/:[^:@/]+@/, ':***@')}`);
  console.log(`data in ${db.dataDir}; Ctrl-C stops it.`);
}

void runCli('dev-db', main);
