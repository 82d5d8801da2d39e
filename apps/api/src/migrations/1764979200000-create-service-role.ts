import { DB_SERVICE_USER } from '@prod-e/api-config';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The service's own database role (DB_SERVICE_USER): it may log in, read and write the tables in
 * `public` (those of today and, through default privileges, those later migrations create) and
 * nothing else: no DDL, no other schema, no role management. On RDS it joins `rds_iam`, so it
 * authenticates with IAM tokens instead of a password; the master user stays the migrations'.
 * Roles belong to the whole server, so creating it tolerates one that exists (another database
 * on the same server, or a concurrent run).
 */
export class CreateServiceRole1764979200000 implements MigrationInterface {
  name = 'CreateServiceRole1764979200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${DB_SERVICE_USER}') THEN
          CREATE ROLE ${DB_SERVICE_USER} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
        END IF;
      EXCEPTION WHEN duplicate_object THEN NULL;
      END $$`);
    await queryRunner.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'rds_iam') THEN
          GRANT rds_iam TO ${DB_SERVICE_USER};
        END IF;
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO ${DB_SERVICE_USER}', current_database());
      END $$`);
    await queryRunner.query(`GRANT USAGE ON SCHEMA public TO ${DB_SERVICE_USER}`);
    await queryRunner.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${DB_SERVICE_USER}`,
    );
    await queryRunner.query(
      `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${DB_SERVICE_USER}`,
    );
    await queryRunner.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${DB_SERVICE_USER}`,
    );
    await queryRunner.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${DB_SERVICE_USER}`,
    );
  }

  /** Takes the role's rights in this database away; the role stays (other databases may use it). */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM ${DB_SERVICE_USER}`,
    );
    await queryRunner.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM ${DB_SERVICE_USER}`,
    );
    await queryRunner.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${DB_SERVICE_USER}`);
    await queryRunner.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${DB_SERVICE_USER}`);
    await queryRunner.query(`REVOKE USAGE ON SCHEMA public FROM ${DB_SERVICE_USER}`);
    await queryRunner.query(`
      DO $$
      BEGIN
        EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM ${DB_SERVICE_USER}', current_database());
      END $$`);
  }
}
