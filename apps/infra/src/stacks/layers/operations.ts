import { DB_SERVICE_USER } from '@prod-e/api-config';
import type { DeploymentSettings, ResourceNames } from '@prod-e/deployment';
import type { TerraformStack } from 'cdktf';

import type { AwsEnvironment } from '../../constructs/aws-environment';
import { ServiceRoles } from '../../constructs/iam';
import { ServiceLogs } from '../../constructs/logs';
import { Monitoring } from '../../constructs/monitoring';
import type { RepositoryReference } from '../../constructs/registry';
import type { DataLayer } from './data';
import type { Edge } from './edge';

export interface OperationsLayer {
  readonly logs: ServiceLogs;
  readonly roles: ServiceRoles;
  readonly monitoring: Monitoring;
}

interface OperationsContext {
  readonly settings: DeploymentSettings;
  readonly names: ResourceNames;
  readonly aws: AwsEnvironment;
  readonly kmsKeyArn: string;
  readonly registry: RepositoryReference;
  readonly data: DataLayer;
  readonly edge: Edge;
}

/** Logs (container output, ECS Exec audit), the IAM roles, and alarms with the dashboard. */
export function buildOperationsLayer(
  stack: TerraformStack,
  context: OperationsContext,
): OperationsLayer {
  const { settings, names, kmsKeyArn, data } = context;
  const { loadBalancer } = context.edge;
  // The audit group exists even with ECS Exec off: the cluster's exec configuration always
  // points at it (CKV_AWS_223/224), so turning Exec on later can never open unaudited shells.
  const logs = new ServiceLogs(stack, 'logs', {
    logGroupName: names.logGroup,
    execLogGroupName: names.execLogGroup,
    retentionDays: settings.logRetentionDays,
    kmsKeyArn,
  });
  const roles = new ServiceRoles(stack, 'iam', {
    aws: context.aws,
    executionRoleName: names.executionRole,
    taskRoleName: names.taskRole,
    repositoryArn: context.registry.arn,
    logGroupArn: logs.logGroup.arn,
    secretArns: [data.apiTokenSecret.secret.arn],
    migration: {
      executionRoleName: names.migrationExecutionRole,
      secretArns: [data.database.masterUserSecretArn, data.apiTokenSecret.secret.arn],
    },
    databaseConnect: { dbiResourceId: data.database.instance.resourceId, user: DB_SERVICE_USER },
    kmsKeyArn,
    enableExecuteCommand: settings.enableExecuteCommand,
    execLogGroupArn: logs.execLogGroup?.arn,
    blueGreen: settings.blueGreen,
    loadBalancerRoleName: names.loadBalancerRole,
    loadBalancerResources:
      loadBalancer.productionRule && loadBalancer.alternateTargetGroup
        ? {
            listenerRuleArns: [loadBalancer.productionRule.arn],
            targetGroupArns: [loadBalancer.targetGroup.arn, loadBalancer.alternateTargetGroup.arn],
          }
        : undefined,
  });
  // Alarms (five of them gate deployments), SNS topic, dashboard, saved queries.
  const monitoring = new Monitoring(stack, 'monitoring', {
    region: settings.region,
    topicName: names.alarmTopic,
    dashboardName: names.dashboard,
    alarmPrefix: names.service,
    alarmEmail: settings.alarmEmail,
    kmsKeyArn,
    loadBalancerArnSuffix: loadBalancer.alb.arnSuffix,
    targetGroupArnSuffix: loadBalancer.targetGroup.arnSuffix,
    alternateTargetGroupArnSuffix: loadBalancer.alternateTargetGroup?.arnSuffix,
    clusterName: names.cluster,
    serviceName: names.service,
    databaseIdentifier: names.database,
    metricsNamespace: names.metricsNamespace,
    logGroupName: logs.logGroup.name,
    savedQueryNames: names.savedQueries,
  });
  return { logs, roles, monitoring };
}
