import type { DeploymentSettings, ResourceNames } from '@prod-e/deployment';
import type { TerraformStack } from 'cdktf';

import type { AwsEnvironment } from '../../constructs/aws-environment';
import { Database } from '../../constructs/database';
import { ApiTokenSecret } from '../../constructs/secrets';
import type { NetworkLayer } from './network';

export interface DataLayer {
  readonly database: Database;
  readonly apiTokenSecret: ApiTokenSecret;
}

/** RDS PostgreSQL (password kept by RDS in Secrets Manager) and the API token secret. */
export function buildDataLayer(
  stack: TerraformStack,
  context: {
    settings: DeploymentSettings;
    names: ResourceNames;
    aws: AwsEnvironment;
    kmsKeyArn: string;
    networkLayer: NetworkLayer;
    databaseName: string;
    masterUsername: string;
  },
): DataLayer {
  const { settings, names, kmsKeyArn } = context;
  const database = new Database(stack, 'database', {
    aws: context.aws,
    identifier: names.database,
    subnetGroupName: names.databaseSubnetGroup,
    parameterGroupName: names.databaseParameterGroup,
    monitoringRoleName: names.databaseMonitoringRole,
    subnetIds: context.networkLayer.network.privateSubnets.map((s) => s.id),
    securityGroupId: context.networkLayer.securityGroups.database.id,
    kmsKeyArn,
    engineVersion: settings.databaseEngineVersion,
    instanceClass: settings.databaseInstanceClass,
    allocatedStorageGib: settings.databaseAllocatedStorageGib,
    port: settings.databasePort,
    databaseName: context.databaseName,
    masterUsername: context.masterUsername,
    multiAz: settings.databaseMultiAz,
    deletionProtection: settings.deletionProtection,
    logRetentionDays: settings.logRetentionDays,
  });
  const apiTokenSecret = new ApiTokenSecret(stack, 'api-token-secret', {
    name: names.apiTokenSecret,
    kmsKeyArn,
  });
  return { database, apiTokenSecret };
}
