import { readFileSync } from 'node:fs';

import { type DatabaseConfig } from '@prod-e/api-config';
import * as pg from 'pg';
import type { DataSourceOptions } from 'typeorm';

import { MIGRATIONS } from '../../migrations';
import { iamAuthPassword, type SignerFactory } from './iam-auth';
import { rdsCaBundle } from './rds-ca-bundle';

type PostgresOptions = Extract<DataSourceOptions, { type: 'postgres' }>;

/**
 * TLS per DB_SSL: `require` encrypts without checking the certificate; `verify-full` checks the
 * chain against the RDS CA bundle (or DB_SSL_CA_FILE) and the host name against the certificate.
 */
export function tls(db: Pick<DatabaseConfig, 'ssl' | 'sslCaFile'>): PostgresOptions['ssl'] {
  if (db.ssl === 'disable') return false;
  if (db.ssl === 'require') return { rejectUnauthorized: false };
  return {
    rejectUnauthorized: true,
    ca: db.sslCaFile ? readFileSync(db.sslCaFile, 'utf8') : rdsCaBundle(),
  };
}

/** The password pg presents: a fresh IAM token per connection, or the configured one. */
function passwordOf(db: DatabaseConfig, createSigner?: SignerFactory): PostgresOptions['password'] {
  return db.iamAuth ? iamAuthPassword({ ...db, iamAuth: db.iamAuth }, createSigner) : db.password;
}

/**
 * TypeORM options for the API's pool. Every pg pool setting comes from config through `extra`
 * (node-postgres Pool/Client options):
 * - connectionTimeoutMillis: a down database fails requests fast instead of queueing them;
 * - statement_timeout (server) < query_timeout (client): the server cancels first, and the client
 *   gives up even when the server cannot answer at all;
 * - idle_in_transaction_session_timeout: a stuck transaction cannot hold locks forever;
 * - keepAlive: dead connections (failover, NAT timeouts) are noticed.
 * Schema sync is off everywhere: the schema changes only through migrations.
 */
export function dataSourceOptions(
  db: DatabaseConfig,
  options: { createSigner?: SignerFactory } = {},
): PostgresOptions {
  return {
    type: 'postgres',
    // Given, not looked up: TypeORM's lookup is a require(name) that the bundle cannot follow.
    driver: pg,
    host: db.host,
    port: db.port,
    username: db.user,
    password: passwordOf(db, options.createSigner),
    database: db.name,
    ssl: tls(db),
    applicationName: db.applicationName,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each',
    extra: {
      max: db.poolMax,
      connectionTimeoutMillis: db.connectTimeoutMs,
      idleTimeoutMillis: db.idleTimeoutMs,
      statement_timeout: db.statementTimeoutMs,
      query_timeout: db.queryTimeoutMs,
      idle_in_transaction_session_timeout: db.idleInTransactionTimeoutMs,
      keepAlive: true,
      application_name: db.applicationName,
    },
  };
}

/**
 * Options for the migration runner's own short-lived connection: one client, no statement or
 * query timeout (an index build may take minutes, and the runner waits for the advisory lock).
 */
export function migrationDataSourceOptions(db: DatabaseConfig): PostgresOptions {
  const options = dataSourceOptions(db);
  return {
    ...options,
    applicationName: `${db.applicationName}-migrate`,
    extra: {
      max: 1,
      connectionTimeoutMillis: db.connectTimeoutMs,
      keepAlive: true,
      application_name: `${db.applicationName}-migrate`,
    },
  };
}
