import { DEFAULT_DB_PORT } from '@prod-e/api-config';
import {
  DEFAULT_DATABASE_ENGINE_VERSION,
  DEFAULT_DATABASE_INSTANCE_CLASS,
  DEFAULT_DATABASE_STORAGE_GIB,
} from '@prod-e/deployment';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';

import type { AwsEnvironment } from './aws-environment';
import { policyDocument, serviceTrustPolicy } from './iam-document';
import { encryptedLogGroup } from './logs';

/** CKV_AWS_129 / RDS.36: PostgreSQL's log and the upgrade log go to CloudWatch. */
export const DATABASE_LOG_EXPORTS = ['postgresql', 'upgrade'] as const;

/** CKV_AWS_211: the RSA-2048 CA (valid to 2061) rather than the retired rds-ca-2019. */
export const DATABASE_CA = 'rds-ca-rsa2048-g1';

/** CKV2_AWS_69 (TLS only) and CKV2_AWS_30 (query logging: DDL, and anything slower than 1 s). */
export const DATABASE_PARAMETERS: Readonly<Record<string, string>> = {
  'rds.force_ssl': '1',
  log_statement: 'ddl',
  log_min_duration_statement: '1000',
  log_connections: '1',
  log_disconnections: '1',
};

export interface DatabaseProps {
  readonly aws: AwsEnvironment;
  readonly identifier: string;
  readonly subnetGroupName: string;
  /** Prefix of the parameter group's name; the major version is appended (`prod-e-postgres17`). */
  readonly parameterGroupName: string;
  /** The enhanced-monitoring role. */
  readonly monitoringRoleName: string;
  /** Private subnets in two zones. */
  readonly subnetIds: readonly string[];
  readonly securityGroupId: string;
  readonly kmsKeyArn: string;
  /** Major (or major.minor) PostgreSQL version. @default '17' */
  readonly engineVersion?: string;
  /** @default 'db.t4g.micro' */
  readonly instanceClass?: string;
  /** @default 20 */
  readonly allocatedStorageGib?: number;
  /** Port (RDS.23 prefers a non-default one). @default 5432 */
  readonly port?: number;
  /** The database the API uses. */
  readonly databaseName: string;
  /** RDS.25: not `postgres`. */
  readonly masterUsername: string;
  /** RDS.5. @default true */
  readonly multiAz?: boolean;
  /** RDS.8; off also skips the final snapshot (throwaway environments). @default true */
  readonly deletionProtection?: boolean;
  /** RDS.11 wants more than 1 day; 7 covers a week of "when did it break". @default 7 */
  readonly backupRetentionDays?: number;
  /** For the RDS log groups this construct pre-creates with retention and KMS. @default 14 */
  readonly logRetentionDays?: number;
  /** Enhanced monitoring interval in seconds (RDS.6); 0 turns it off. @default 60 */
  readonly monitoringIntervalSeconds?: number;
}

/** Resolved defaults: what the constructor and its builders read. */
type ResolvedDatabaseProps = DatabaseProps &
  Required<
    Pick<
      DatabaseProps,
      | 'multiAz'
      | 'deletionProtection'
      | 'backupRetentionDays'
      | 'monitoringIntervalSeconds'
      | 'engineVersion'
      | 'allocatedStorageGib'
    >
  >;

/** Fills the defaults and refuses settings RDS or this project's floors would reject. */
function resolveDatabaseProps(props: DatabaseProps): ResolvedDatabaseProps {
  const resolved = {
    ...props,
    multiAz: props.multiAz ?? true,
    deletionProtection: props.deletionProtection ?? true,
    backupRetentionDays: props.backupRetentionDays ?? 7,
    monitoringIntervalSeconds: props.monitoringIntervalSeconds ?? 60,
    engineVersion: props.engineVersion ?? DEFAULT_DATABASE_ENGINE_VERSION,
    allocatedStorageGib: props.allocatedStorageGib ?? DEFAULT_DATABASE_STORAGE_GIB,
  };
  if (props.subnetIds.length < 2) {
    throw new Error('Database: RDS subnet groups need two zones; give subnetIds in at least two.');
  }
  if (resolved.backupRetentionDays < 7) {
    throw new Error(
      `Database: backupRetentionDays ${resolved.backupRetentionDays} is under the 7-day floor this project keeps (RDS.11); raise it.`,
    );
  }
  if (['postgres', 'admin', 'root'].includes(props.masterUsername)) {
    throw new Error(
      `Database: masterUsername "${props.masterUsername}" is a default admin name (RDS.25); choose a project-specific one.`,
    );
  }
  if (![0, 1, 5, 10, 15, 30, 60].includes(resolved.monitoringIntervalSeconds)) {
    throw new Error(
      `Database: monitoringIntervalSeconds ${resolved.monitoringIntervalSeconds} is not one RDS accepts (0, 1, 5, 10, 15, 30, 60).`,
    );
  }
  return resolved;
}

function parameterGroup(scope: Construct, props: ResolvedDatabaseProps): DbParameterGroup {
  const majorVersion = props.engineVersion.split('.')[0];
  return new DbParameterGroup(scope, 'parameter-group', {
    // The major version is in the name: a major upgrade needs a group of the new family, and
    // create_before_destroy can only build it beside the old one under a different name.
    name: `${props.parameterGroupName}${majorVersion}`,
    family: `postgres${majorVersion}`,
    description: `TLS-only and query logging for ${props.identifier}`,
    parameter: Object.entries(DATABASE_PARAMETERS).map(([name, value]) => ({ name, value })),
    lifecycle: { createBeforeDestroy: true },
  });
}

/** The enhanced-monitoring role: the inline equivalent of AmazonRDSEnhancedMonitoringRole (AwsSolutions-IAM4). */
function monitoringRole(scope: Construct, props: DatabaseProps): IamRole {
  const role = new IamRole(scope, 'monitoring-role', {
    name: props.monitoringRoleName,
    description: 'RDS enhanced monitoring: OS metrics to CloudWatch Logs',
    assumeRolePolicy: serviceTrustPolicy('monitoring.rds.amazonaws.com', props.aws),
  });
  const osMetrics = `arn:${props.aws.partition}:logs:${props.aws.region}:${props.aws.accountId}:log-group:RDSOSMetrics`;
  new IamRolePolicy(scope, 'monitoring-policy', {
    name: 'enhanced-monitoring',
    role: role.id,
    policy: policyDocument([
      {
        Sid: 'WriteOsMetricsGroup',
        Effect: 'Allow',
        Action: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy'],
        Resource: `${osMetrics}:*`,
      },
      {
        Sid: 'WriteOsMetricsStreams',
        Effect: 'Allow',
        Action: [
          'logs:CreateLogStream',
          'logs:PutLogEvents',
          'logs:DescribeLogStreams',
          'logs:GetLogEvents',
        ],
        Resource: `${osMetrics}:log-stream:*`,
      },
    ]),
  });
  return role;
}

/**
 * RDS PostgreSQL in the private subnets: encrypted, never public, password generated and kept by
 * RDS in Secrets Manager (`manage_master_user_password`; the stack never sees it), TLS forced, with
 * backups, log exports, Performance Insights, IAM auth and enhanced monitoring.
 */
export class Database extends Construct {
  public readonly subnetGroup: DbSubnetGroup;
  public readonly parameterGroup: DbParameterGroup;
  public readonly instance: DbInstance;
  public readonly monitoringRole?: IamRole;
  /** ARN of the RDS-managed secret holding `username` and `password` as JSON keys. */
  public readonly masterUserSecretArn: string;

  constructor(scope: Construct, id: string, databaseProps: DatabaseProps) {
    super(scope, id);
    const props = resolveDatabaseProps(databaseProps);
    this.subnetGroup = new DbSubnetGroup(this, 'subnet-group', {
      name: props.subnetGroupName,
      description: `Private subnets for ${props.identifier}`,
      subnetIds: [...props.subnetIds],
    });
    this.parameterGroup = parameterGroup(this, props);
    // RDS would create these on first export without retention or encryption; own them instead.
    const logGroups = DATABASE_LOG_EXPORTS.map((log) =>
      encryptedLogGroup(this, `log-group-${log}`, {
        name: `/aws/rds/instance/${props.identifier}/${log}`,
        retentionDays: props.logRetentionDays ?? 14,
        kmsKeyArn: props.kmsKeyArn,
      }),
    );
    if (props.monitoringIntervalSeconds > 0) this.monitoringRole = monitoringRole(this, props);
    this.instance = new DbInstance(this, 'instance', {
      ...this.instanceStorage(props),
      ...this.instanceOperations(props),
      identifier: props.identifier,
      engine: 'postgres',
      engineVersion: props.engineVersion,
      instanceClass: props.instanceClass ?? DEFAULT_DATABASE_INSTANCE_CLASS,
      dbName: props.databaseName,
      username: props.masterUsername,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: props.kmsKeyArn,
      port: props.port ?? DEFAULT_DB_PORT,
      multiAz: props.multiAz,
      dbSubnetGroupName: this.subnetGroup.name,
      vpcSecurityGroupIds: [props.securityGroupId],
      parameterGroupName: this.parameterGroup.name,
      publiclyAccessible: false,
      caCertIdentifier: DATABASE_CA,
      iamDatabaseAuthenticationEnabled: true,
      dependsOn: logGroups,
    });
    this.masterUserSecretArn = this.instance.masterUserSecret.get(0).secretArn;
  }

  private instanceStorage(props: ResolvedDatabaseProps) {
    return {
      allocatedStorage: props.allocatedStorageGib,
      // Storage autoscaling up to 4x before anyone is paged about free space.
      maxAllocatedStorage: props.allocatedStorageGib * 4,
      storageType: 'gp3',
      storageEncrypted: true,
      kmsKeyId: props.kmsKeyArn,
    };
  }

  /** Backups, windows, snapshots, logs and monitoring. */
  private instanceOperations(props: ResolvedDatabaseProps) {
    return {
      backupRetentionPeriod: props.backupRetentionDays,
      backupWindow: '03:00-04:00',
      maintenanceWindow: 'sun:04:30-sun:05:30',
      autoMinorVersionUpgrade: true,
      copyTagsToSnapshot: true,
      deletionProtection: props.deletionProtection,
      skipFinalSnapshot: !props.deletionProtection,
      finalSnapshotIdentifier: props.deletionProtection ? `${props.identifier}-final` : undefined,
      enabledCloudwatchLogsExports: [...DATABASE_LOG_EXPORTS],
      // RDS for PostgreSQL supports Performance Insights on every class, db.t4g.micro included
      // (the micro/small exclusions are MySQL's and MariaDB's).
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: props.kmsKeyArn,
      performanceInsightsRetentionPeriod: 7,
      monitoringInterval: props.monitoringIntervalSeconds,
      monitoringRoleArn: this.monitoringRole?.arn,
      // Changes wait for the maintenance window unless someone applies them on purpose.
      applyImmediately: false,
    };
  }
}
