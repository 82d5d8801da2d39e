import { type ApiConfig } from '@prod-e/api-config';

import { runMigrations } from './migration-runner';

export interface MigrateCommandIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const USAGE = 'usage: node main.js migrate [--dry-run]';

/**
 * `node main.js migrate [--dry-run]` (migrationCommand() in @prod-e/api-config): the one-off ECS
 * task runs it with the new task definition revision before the service update.
 * @returns the process exit code: 0 applied (or listed), 1 failed
 */
export async function migrateCommand(
  config: ApiConfig,
  args: readonly string[],
  io: MigrateCommandIo = { out: console.log, err: console.error },
): Promise<number> {
  const unknown = args.filter((arg) => arg !== '--dry-run');
  if (unknown.length > 0) {
    io.err(`unknown argument${unknown.length > 1 ? 's' : ''}: ${unknown.join(' ')}\n${USAGE}`);
    return 1;
  }
  const dryRun = args.includes('--dry-run');
  try {
    const result = await runMigrations(config.database, { dryRun, log: io.out });
    io.out(
      dryRun
        ? `${result.migrations.length} pending migration(s)`
        : `${result.migrations.length} migration(s) applied`,
    );
    return 0;
  } catch (error) {
    const { host, port, name } = config.database;
    io.err(
      `migration failed on ${host}:${port}/${name}: ${error instanceof Error ? error.message : String(error)}\n` +
        'Each migration runs in its own transaction: the failed one was rolled back, earlier ones stay applied.',
    );
    return 1;
  }
}
