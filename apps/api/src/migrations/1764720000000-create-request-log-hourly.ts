import type { MigrationInterface, QueryRunner } from 'typeorm';

import { DURATION_HISTOGRAM } from '../requests/duration-histogram';

const { firstBucketMs, growth, buckets } = DURATION_HISTOGRAM;

/**
 * request_log_hourly: per hour (UTC), method and route, a duration histogram with the 5xx and
 * 4xx counts of each bucket. The request-log writer adds to it in the statement that inserts
 * each batch, so GET /api/requests/stats reads a few thousand rows for a 30-day window instead
 * of millions. Existing rows are counted in once here.
 */
export class CreateRequestLogHourly1764720000000 implements MigrationInterface {
  name = 'CreateRequestLogHourly1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION request_log_duration_bucket(duration_ms double precision) RETURNS smallint
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT least(${buckets - 1}, greatest(0,
          floor(ln(greatest(duration_ms, ${firstBucketMs}) / ${firstBucketMs}) / ln(${growth}))))::smallint $$`);
    await queryRunner.query(`
      CREATE TABLE request_log_hourly (
        hour          timestamptz  NOT NULL,
        method        varchar(16)  NOT NULL,
        route         varchar(255) NOT NULL,
        bucket        smallint     NOT NULL,
        count         integer      NOT NULL,
        server_errors integer      NOT NULL,
        client_errors integer      NOT NULL,
        PRIMARY KEY (hour, method, route, bucket)
      )`);
    await queryRunner.query(`
      INSERT INTO request_log_hourly
      SELECT date_trunc('hour', created_at, 'UTC'), method, route,
             request_log_duration_bucket(duration_ms), count(*),
             count(*) FILTER (WHERE status_code >= 500),
             count(*) FILTER (WHERE status_code BETWEEN 400 AND 499)
        FROM request_log GROUP BY 1, 2, 3, 4`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE request_log_hourly');
    await queryRunner.query('DROP FUNCTION request_log_duration_bucket(double precision)');
  }
}
