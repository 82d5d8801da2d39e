import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * request_log for a long-running service:
 * - `method` widens to 16 characters, so every method Node accepts fits (UNSUBSCRIBE has 11).
 *   Widening a varchar is a catalog change in PostgreSQL: no table rewrite.
 * - A covering index for GET /api/requests/stats and the retention job: both read a time range,
 *   and the stats query reads it with an index-only scan instead of visiting the heap.
 *   Not CONCURRENTLY: that waits for every open transaction, the migration runner waiting for
 *   its advisory lock included (a deadlock). The build holds writes for seconds on millions of
 *   rows, which the request log writer's buffer absorbs.
 */
export class BoundRequestLog1764633600000 implements MigrationInterface {
  name = 'BoundRequestLog1764633600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE request_log ALTER COLUMN method TYPE varchar(16)');
    await queryRunner.query(
      `CREATE INDEX request_log_created_at_stats_idx
         ON request_log (created_at) INCLUDE (method, route, status_code, duration_ms)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX request_log_created_at_stats_idx');
    // Rows with longer methods would not fit back: cut them, as the old writer could not store them.
    await queryRunner.query(
      'ALTER TABLE request_log ALTER COLUMN method TYPE varchar(10) USING left(method, 10)',
    );
  }
}
