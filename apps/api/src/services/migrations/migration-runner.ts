import { type DatabaseConfig } from '@prod-e/api-config';
import { DataSource, type MigrationInterface, MigrationExecutor } from 'typeorm';

import { MIGRATIONS } from '../../migrations';
import { migrationDataSourceOptions } from '../database/data-source-options';

/**
 * Key of the PostgreSQL advisory lock that serialises migration runs: two runs at once (a
 * one-off task and a local `nx run api:migrate`, or two tasks starting) never double-apply.
 */
export const MIGRATION_LOCK_KEY = 0x70726f64; // 'prod'

export interface MigrationRunOptions {
  /** List the pending migrations without applying them. */
  readonly dryRun?: boolean;
  /** The migrations to consider. @default MIGRATIONS */
  readonly migrations?: ReadonlyArray<new () => MigrationInterface>;
  readonly log?: (line: string) => void;
}

export interface MigrationRunResult {
  /** Pending before the run (dry run), or applied by it. */
  readonly migrations: string[];
}

/**
 * Applies pending migrations under a session-level advisory lock, each in its own transaction
 * (TypeORM `transaction: 'each'`): a failing migration is rolled back on its own and the run
 * stops there. A second runner waits for the lock and then finds nothing left to do.
 */
export async function runMigrations(
  db: DatabaseConfig,
  options: MigrationRunOptions = {},
): Promise<MigrationRunResult> {
  const log = options.log ?? (() => undefined);
  const dataSource = new DataSource({
    ...migrationDataSourceOptions(db),
    migrations: [...(options.migrations ?? MIGRATIONS)],
  });
  await dataSource.initialize();
  const queryRunner = dataSource.createQueryRunner();
  try {
    await queryRunner.connect();
    // The lock belongs to this session; the executor runs every step on the same connection.
    await queryRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const executor = new MigrationExecutor(dataSource, queryRunner);
      executor.transaction = 'each';
      if (options.dryRun) {
        const pending = (await executor.getPendingMigrations()).map((m) => m.name);
        pending.forEach((name) => log(`pending: ${name}`));
        if (pending.length === 0) log('no pending migrations');
        return { migrations: pending };
      }
      const applied = (await executor.executePendingMigrations()).map((m) => m.name);
      applied.forEach((name) => log(`applied: ${name}`));
      if (applied.length === 0) log('no pending migrations');
      return { migrations: applied };
    } finally {
      // Ending the session releases the lock too, so a failed unlock must not hide the real error.
      await queryRunner
        .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
        .catch(() => undefined);
    }
  } finally {
    await queryRunner.release();
    await dataSource.destroy();
  }
}
