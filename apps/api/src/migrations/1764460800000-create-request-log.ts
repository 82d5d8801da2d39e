import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * request_log and the indexes its two readers need:
 * - GET /api/requests pages newest first by (created_at, id), optionally per route or status;
 * - GET /api/requests/stats scans one time window grouped by route.
 */
export class CreateRequestLog1764460800000 implements MigrationInterface {
  name = 'CreateRequestLog1764460800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE request_log (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        method      varchar(10)      NOT NULL,
        route       varchar(255)     NOT NULL,
        status_code smallint         NOT NULL,
        duration_ms double precision NOT NULL,
        request_id  varchar(128)     NOT NULL,
        created_at  timestamptz      NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      'CREATE INDEX request_log_created_at_id_idx ON request_log (created_at DESC, id DESC)',
    );
    await queryRunner.query(
      'CREATE INDEX request_log_route_created_at_idx ON request_log (route, created_at DESC, id DESC)',
    );
    await queryRunner.query(
      'CREATE INDEX request_log_status_created_at_idx ON request_log (status_code, created_at DESC, id DESC)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE request_log');
  }
}
