import { DB_SERVICE_USER, taskEnvironment, taskSecrets } from '@prod-e/api-config';
import type { DeploymentSettings, ResourceNames } from '@prod-e/deployment';
import { API_PORT, containerHealthCheck, METRICS_PORT } from '@prod-e/health-contract';
import type { TerraformStack } from 'cdktf';

import { ServiceAutoscaling } from '../../constructs/autoscaling';
import { MigrationRun } from '../../constructs/migrations';
import type { RepositoryReference } from '../../constructs/registry';
import { FargateService } from '../../constructs/service';
import type { DataLayer } from './data';
import type { Edge } from './edge';
import type { NetworkLayer } from './network';
import type { OperationsLayer } from './operations';

export interface ComputeLayer {
  readonly fargate: FargateService;
  readonly migrations?: MigrationRun;
  readonly autoscaling: ServiceAutoscaling;
}

export interface ComputeContext {
  readonly settings: DeploymentSettings;
  readonly names: ResourceNames;
  readonly kmsKeyArn: string;
  readonly databaseName: string;
  readonly registry: RepositoryReference;
  readonly networkLayer: NetworkLayer;
  readonly data: DataLayer;
  readonly edge: Edge;
  readonly operations: OperationsLayer;
}

/** A construct the stack asked for (with its props) and so must have. */
function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`ServiceStack: the ${what} was not created.`);
  return value;
}

/** Cluster, task definitions, the service, the pre-deploy migration run and autoscaling. */
export function buildComputeLayer(stack: TerraformStack, context: ComputeContext): ComputeLayer {
  const fargate = buildFargateService(stack, context);
  const migrations = context.settings.runMigrations
    ? buildMigrationRun(stack, context, fargate)
    : undefined;
  const { loadBalancer } = context.edge;
  const autoscaling = new ServiceAutoscaling(stack, 'autoscaling', {
    clusterName: fargate.cluster.name,
    serviceName: fargate.service.name,
    minCount: context.settings.minCount,
    maxCount: context.settings.maxCount,
    requestCountResourceLabel: `${loadBalancer.alb.arnSuffix}/${loadBalancer.targetGroup.arnSuffix}`,
    blueGreenTargetGroups: loadBalancer.alternateTargetGroup
      ? {
          loadBalancerArnSuffix: loadBalancer.alb.arnSuffix,
          targetGroupArnSuffixes: [
            loadBalancer.targetGroup.arnSuffix,
            loadBalancer.alternateTargetGroup.arnSuffix,
          ],
        }
      : undefined,
  });
  return { fargate, migrations, autoscaling };
}

/** What the service and the migration task both run with (the service adds its IAM login). */
function commonEnvironment(context: ComputeContext) {
  const { settings } = context;
  return {
    NODE_ENV: 'production',
    PORT: String(API_PORT),
    APP_VERSION: settings.imageTag,
    DB_HOST: context.data.database.instance.address,
    DB_PORT: String(settings.databasePort),
    DB_NAME: context.databaseName,
    // rds.force_ssl=1 refuses plain connections; verify-full checks RDS's certificate too.
    DB_SSL: 'verify-full',
    // Exactly the proxies the edge puts in front; the rate limit keys on the address they saw.
    TRUSTED_PROXY_HOPS: String(context.edge.proxyHops),
  } as const;
}

function buildFargateService(stack: TerraformStack, context: ComputeContext): FargateService {
  const { settings, names, data, edge } = context;
  const { roles, logs, monitoring } = context.operations;
  const { loadBalancer } = edge;
  const tokens = { API_TOKENS: data.apiTokenSecret.secret.arn };
  const master = data.database.masterUserSecretArn;
  return new FargateService(stack, 'service', {
    region: settings.region,
    clusterName: names.cluster,
    serviceName: names.service,
    taskFamily: names.taskFamily,
    containerName: names.container,
    image: `${context.registry.url}:${settings.imageTag}`,
    containerPort: API_PORT,
    metricsPort: METRICS_PORT,
    cpu: settings.cpu,
    memory: settings.memory,
    executionRoleArn: roles.executionRole.arn,
    taskRoleArn: roles.taskRole.arn,
    healthCheck: containerHealthCheck({ wiring: settings.healthCheckWiring, port: API_PORT }),
    logGroupName: logs.logGroup.name,
    logStreamPrefix: names.logStreamPrefix,
    environment: taskEnvironment({
      ...commonEnvironment(context),
      METRICS_PORT: String(METRICS_PORT),
      // The service's own role, with an IAM token per connection (nothing to go stale).
      DB_AUTH: 'iam',
      DB_USER: DB_SERVICE_USER,
      DB_REGION: settings.region,
      // The API's own metrics, as EMF lines in this log group: no agent, no IAM permission.
      METRICS_EMF: 'true',
      METRICS_EMF_NAMESPACE: names.metricsNamespace,
    }),
    secrets: taskSecrets(tokens),
    migration: {
      family: names.migrationTaskFamily,
      executionRoleArn: required(roles.migrationExecutionRole, 'migration execution role').arn,
      environment: taskEnvironment(commonEnvironment(context)),
      // Only the migration task reads the master secret; RDS rotates it, and each run reads it anew.
      secrets: taskSecrets({
        ...tokens,
        DB_USER: `${master}:username::`,
        DB_PASSWORD: `${master}:password::`,
      }),
    },
    containerInsights: settings.containerInsights,
    enableExecuteCommand: settings.enableExecuteCommand,
    execLogGroupName: logs.execLogGroup?.name,
    kmsKeyArn: context.kmsKeyArn,
    desiredCount: settings.desiredCount,
    subnetIds: context.networkLayer.network.privateSubnets.map((s) => s.id),
    securityGroupIds: [context.networkLayer.securityGroups.service.id],
    targetGroupArn: loadBalancer.targetGroup.arn,
    deploymentAlarmNames: monitoring.deploymentAlarms.map((a) => a.alarmName),
    blueGreen:
      loadBalancer.alternateTargetGroup && loadBalancer.productionRule && roles.loadBalancerRole
        ? {
            alternateTargetGroupArn: loadBalancer.alternateTargetGroup.arn,
            productionListenerRuleArn: loadBalancer.productionRule.arn,
            roleArn: roles.loadBalancerRole.arn,
          }
        : undefined,
    dependsOn: [
      // The target group must be attached to a listener before a service can register into it.
      ...new Set([loadBalancer.servingListener, loadBalancer.httpListener]),
      roles.executionPolicy,
      ...(roles.taskPolicy ? [roles.taskPolicy] : []),
    ],
  });
}

function buildMigrationRun(
  stack: TerraformStack,
  context: ComputeContext,
  fargate: FargateService,
): MigrationRun {
  const { roles } = context.operations;
  const migrations = new MigrationRun(stack, 'migrations', {
    environment: context.settings.environment,
    region: context.settings.region,
    taskDefinitionArn: required(fargate.migrationTaskDefinition, 'migration task definition').arn,
    clusterName: fargate.cluster.name,
    dependsOn: [
      context.data.database.instance,
      required(roles.migrationExecutionPolicy, 'migration execution policy'),
      ...context.networkLayer.network.privateDefaultRoutes,
    ],
  });
  // The run needs the task definition made inside FargateService, so the service's
  // `depends_on` gains it afterwards, as the `<type>.<name>` address Terraform expects.
  const run = migrations.run;
  fargate.service.dependsOn = [
    ...(fargate.service.dependsOn ?? []),
    `${run.terraformResourceType}.${run.friendlyUniqueId}`,
  ];
  return migrations;
}
