import {
  blocks,
  listOf,
  type PolicyContext,
  type PolicyRule,
  resourceRule,
  scalarText,
  type TfResource,
} from '../engine';

const DB = ['aws_db_instance'];
const isPostgres = (r: TfResource) => String(r.values.engine ?? '').startsWith('postgres');

/** CAs that are not being retired (CKV_AWS_211). */
const MODERN_CAS = ['rds-ca-rsa2048-g1', 'rds-ca-rsa4096-g1', 'rds-ca-ecc384-g1'];
/** PostgreSQL minor versions the log_fdw bulletin names (CKV_AWS_250). */
const LOG_FDW_AFFECTED = ['10.11', '10.12', '10.13', '11.6', '11.7', '11.8'];
const DEFAULT_ADMIN_NAMES = ['postgres', 'admin', 'root', 'administrator', 'master'];

/** The instance's parameter group's parameters, by name ({} when it uses the default group). */
function parameters(ctx: PolicyContext, db: TfResource): Record<string, string> {
  const group = ctx
    .referenced(db.values.parameter_group_name)
    .find((r) => r.type === 'aws_db_parameter_group');
  return Object.fromEntries(
    blocks(group?.values.parameter).map((p): [string, string] => [
      scalarText(p.name) ?? '',
      scalarText(p.value) ?? '',
    ]),
  );
}

export const rdsRules: PolicyRule[] = [
  resourceRule(
    'CKV_AWS_16',
    ['AVD-AWS-0080', 'RDS.3', 'AwsSolutions-RDS2'],
    'Storage is encrypted',
    DB,
    (r) => (r.values.storage_encrypted === true ? undefined : 'storage_encrypted is not true'),
  ),
  resourceRule(
    'CKV_AWS_17',
    ['AVD-AWS-0180', 'RDS.2'],
    'Instances are not publicly accessible',
    DB,
    (r) => (r.values.publicly_accessible === true ? 'publicly_accessible is true' : undefined),
  ),
  resourceRule(
    'CKV_AWS_133',
    ['AVD-AWS-0077', 'RDS.11', 'AwsSolutions-RDS13'],
    'Backups are kept more than a day',
    DB,
    (r) =>
      Number(r.values.backup_retention_period ?? 0) > 1 ? undefined : 'backup_retention_period ≤ 1',
  ),
  resourceRule('CKV_AWS_157', ['RDS.5', 'AwsSolutions-RDS3'], 'Instances are Multi-AZ', DB, (r) =>
    r.values.multi_az === true ? undefined : 'multi_az is not true',
  ),
  resourceRule(
    'CKV_AWS_293',
    ['AVD-AWS-0177', 'RDS.8', 'AwsSolutions-RDS10'],
    'Instances have deletion protection',
    DB,
    (r) => (r.values.deletion_protection === true ? undefined : 'deletion_protection is not true'),
  ),
  resourceRule(
    'CKV_AWS_161',
    ['AVD-AWS-0176', 'RDS.10'],
    'IAM database authentication is on',
    DB,
    (r) =>
      r.values.iam_database_authentication_enabled === true
        ? undefined
        : 'IAM authentication is off',
  ),
  resourceRule('CKV_AWS_118', ['RDS.6'], 'Enhanced monitoring is on', DB, (r) =>
    Number(r.values.monitoring_interval ?? 0) > 0 && r.values.monitoring_role_arn
      ? undefined
      : 'enhanced monitoring is off',
  ),
  resourceRule('CKV_AWS_353', ['AVD-AWS-0133'], 'Performance Insights is on', DB, (r) =>
    r.values.performance_insights_enabled === true ? undefined : 'Performance Insights is off',
  ),
  resourceRule('CKV_AWS_354', ['AVD-AWS-0078'], 'Performance Insights uses a CMK', DB, (r) =>
    r.values.performance_insights_enabled === true && !r.values.performance_insights_kms_key_id
      ? 'Performance Insights without performance_insights_kms_key_id'
      : undefined,
  ),
  resourceRule(
    'CKV_AWS_129',
    ['RDS.9', 'RDS.36'],
    'PostgreSQL logs are exported to CloudWatch',
    DB,
    (r) => {
      const exports = listOf(r.values.enabled_cloudwatch_logs_exports);
      const missing = (isPostgres(r) ? ['postgresql', 'upgrade'] : ['error']).filter(
        (l) => !exports.includes(l),
      );
      return missing.length ? `log exports missing: ${missing.join(', ')}` : undefined;
    },
  ),
  resourceRule('CKV_AWS_226', ['RDS.13'], 'Minor versions upgrade automatically', DB, (r) =>
    r.values.auto_minor_version_upgrade === false
      ? 'auto_minor_version_upgrade is false'
      : undefined,
  ),
  resourceRule('CKV2_AWS_60', ['RDS.17'], 'Tags are copied to snapshots', DB, (r) =>
    r.values.copy_tags_to_snapshot === true ? undefined : 'copy_tags_to_snapshot is not true',
  ),
  resourceRule('CKV_AWS_211', [], 'Instances use a modern CA certificate', DB, (r) =>
    MODERN_CAS.includes(String(r.values.ca_cert_identifier))
      ? undefined
      : `ca_cert_identifier ${r.values.ca_cert_identifier ?? '(default)'}`,
  ),
  resourceRule(
    'CKV_AWS_250',
    [],
    'PostgreSQL version is not affected by the log_fdw bulletin',
    DB,
    (r) =>
      isPostgres(r) && LOG_FDW_AFFECTED.includes(String(r.values.engine_version))
        ? `engine_version ${r.values.engine_version} is affected`
        : undefined,
  ),
  resourceRule('CKV2_AWS_30', [], 'Query logging is on', DB, (r, ctx) => {
    if (!isPostgres(r)) return undefined;
    const p = parameters(ctx, r);
    // Present is not enough: `none` and `-1` are the values that turn each one off.
    const problems = [
      (!p.log_statement || p.log_statement === 'none') &&
        `log_statement ${p.log_statement ?? 'unset'}`,
      (!p.log_min_duration_statement || Number(p.log_min_duration_statement) < 0) &&
        `log_min_duration_statement ${p.log_min_duration_statement ?? 'unset'}`,
    ].filter((m): m is string => typeof m === 'string');
    return problems.length ? `query logging off: ${problems.join(', ')}` : undefined;
  }),
  resourceRule('CKV2_AWS_69', [], 'Connections must use TLS (rds.force_ssl = 1)', DB, (r, ctx) =>
    !isPostgres(r) || parameters(ctx, r)['rds.force_ssl'] === '1'
      ? undefined
      : 'rds.force_ssl is not 1',
  ),
  resourceRule('RDS.23', ['AwsSolutions-RDS11'], 'Instances use a non-default port', DB, (r) => {
    const port = Number(r.values.port ?? (isPostgres(r) ? 5432 : 3306));
    return [5432, 3306, 1433, 1521].includes(port)
      ? `port ${port} is the engine default`
      : undefined;
  }),
  resourceRule('RDS.25', [], 'The admin user is not a default name', DB, (r) =>
    DEFAULT_ADMIN_NAMES.includes(String(r.values.username ?? 'postgres').toLowerCase())
      ? `username ${r.values.username ?? '(default)'} is a default admin name`
      : undefined,
  ),
  resourceRule('RDS.18', [], 'Instances are in a VPC subnet group', DB, (r) =>
    r.values.db_subnet_group_name ? undefined : 'no db_subnet_group_name (default VPC)',
  ),
];
