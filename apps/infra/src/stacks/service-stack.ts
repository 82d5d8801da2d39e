import { DB_SERVICE_USER, taskEnvironment, taskSecrets } from '@prod-e/api-config';
import {
  type DeploymentSettings,
  PROJECT,
  type ResourceNames,
  resourceNames,
  resourceTags,
  SERVICE_URL_OUTPUT,
  TASK_DEFINITION_OUTPUT,
} from '@prod-e/deployment';
import { API_PORT, containerHealthCheck } from '@prod-e/health-contract';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Aspects, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

import { invariantAspects } from '../aspects/invariants';
import { ServiceAutoscaling } from '../constructs/autoscaling';
import type { AwsEnvironment } from '../constructs/aws-environment';
import { Database } from '../constructs/database';
import { Encryption } from '../constructs/encryption';
import { ServiceRoles } from '../constructs/iam';
import { LoadBalancer } from '../constructs/load-balancer';
import { ServiceLogs } from '../constructs/logs';
import { MigrationRun } from '../constructs/migrations';
import { Monitoring } from '../constructs/monitoring';
import { Network } from '../constructs/network';
import { PermissionsBoundaryAspect } from '../aspects/permissions-boundary';
import { repositoryReference, type RepositoryReference } from '../constructs/registry';
import { ApiTokenSecret } from '../constructs/secrets';
import { SecurityGroups } from '../constructs/security-groups';
import { FargateService } from '../constructs/service';
import { configureBackend, requireTerraformVersion } from '../constructs/state-backend';

/** The API's database and its owner: derived from the project name, never typed twice. */
export const DATABASE_NAME = PROJECT.replace(/-/g, '_');
export const DATABASE_MASTER_USERNAME = `${DATABASE_NAME}_admin`;

/** A construct the stack asked for (with its props) and so must have. */
function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`ServiceStack: the ${what} was not created.`);
  return value;
}

/** One environment's whole AWS home: stack id `prod-e` for prod, `prod-e-<env>` otherwise. */
export class ServiceStack extends TerraformStack {
  public readonly settings: DeploymentSettings;
  public readonly names: ResourceNames;
  public readonly encryption: Encryption;
  public readonly network: Network;
  public readonly securityGroups: SecurityGroups;
  public readonly loadBalancer: LoadBalancer;
  /** The image repository, made by the account bootstrap. */
  public readonly registry: RepositoryReference;
  public readonly database: Database;
  public readonly apiTokenSecret: ApiTokenSecret;
  public readonly logs: ServiceLogs;
  public readonly roles: ServiceRoles;
  public readonly monitoring: Monitoring;
  public readonly fargate: FargateService;
  public readonly migrations?: MigrationRun;
  public readonly autoscaling: ServiceAutoscaling;

  constructor(scope: Construct, settings: DeploymentSettings) {
    const names = resourceNames(settings.environment);
    super(scope, names.stack);
    this.settings = settings;
    this.names = names;
    const { region } = settings;

    new AwsProvider(this, 'aws', {
      region,
      allowedAccountIds: settings.accountId ? [settings.accountId] : undefined,
      // Every resource carries Project/Environment/ManagedBy; `prod-e resources` finds them by it.
      defaultTags: [{ tags: { ...resourceTags(settings.environment) } }],
    });
    configureBackend(this, {
      kind: settings.stateBackend,
      names,
      region,
      accountId: settings.accountId,
    });
    requireTerraformVersion(this);
    const partition = new DataAwsPartition(this, 'partition');
    const aws: AwsEnvironment = {
      accountId: new DataAwsCallerIdentity(this, 'caller').accountId,
      partition: partition.partition,
      region,
    };

    // ─── Encryption: one customer-managed key for logs, images, secrets, database, alarms ───
    this.encryption = new Encryption(this, 'encryption', { aws, alias: names.stack });
    const kmsKeyArn = this.encryption.key.arn;

    // ─── Network: VPC, subnets in two zones, NAT, flow logs ───
    this.network = new Network(this, 'network', {
      aws,
      vpcName: names.vpc,
      vpcCidr: settings.vpcCidr,
      availabilityZones: settings.availabilityZones,
      publicSubnetCidrs: settings.publicSubnetCidrs,
      privateSubnetCidrs: settings.privateSubnetCidrs,
      publicSubnetNames: names.publicSubnets,
      privateSubnetNames: names.privateSubnets,
      internetGatewayName: names.internetGateway,
      natGatewayName: names.natGateway,
      flowLogRoleName: names.flowLogRole,
      natGatewayPerAz: settings.natGatewayPerAz,
      flowLogGroupName: names.flowLogGroup,
      flowLogRetentionDays: settings.logRetentionDays,
      kmsKeyArn,
    });

    // ─── Security groups: ALB → tasks → database ───
    this.securityGroups = new SecurityGroups(this, 'security-groups', {
      vpcId: this.network.vpc.id,
      albSecurityGroupName: names.albSecurityGroup,
      serviceSecurityGroupName: names.serviceSecurityGroup,
      databaseSecurityGroupName: names.databaseSecurityGroup,
      albIngressCidrs: settings.albIngressCidrs,
      https: settings.certificateArn !== undefined,
      containerPort: API_PORT,
      databasePort: settings.databasePort,
    });

    // ─── Load balancer: ALB, target group, listeners, WAF ───
    this.loadBalancer = new LoadBalancer(this, 'load-balancer', {
      name: names.loadBalancer,
      targetGroupName: names.targetGroup,
      vpcId: this.network.vpc.id,
      subnetIds: this.network.publicSubnets.map((s) => s.id),
      securityGroupId: this.securityGroups.alb.id,
      containerPort: API_PORT,
      healthCheckWiring: settings.healthCheckWiring,
      certificateArn: settings.certificateArn,
      deletionProtection: settings.deletionProtection,
      accessLogsBucket: settings.accessLogsBucket,
      wafEnabled: settings.wafEnabled,
      blueGreen: settings.blueGreen,
    });

    // ─── Registry: the image repository, made by the account bootstrap before the first push ───
    this.registry = repositoryReference(aws, partition.dnsSuffix, names.ecrRepository);

    // ─── Database: RDS PostgreSQL, password kept by RDS in Secrets Manager ───
    this.database = new Database(this, 'database', {
      aws,
      identifier: names.database,
      subnetGroupName: names.databaseSubnetGroup,
      parameterGroupName: names.databaseParameterGroup,
      monitoringRoleName: names.databaseMonitoringRole,
      subnetIds: this.network.privateSubnets.map((s) => s.id),
      securityGroupId: this.securityGroups.database.id,
      kmsKeyArn,
      engineVersion: settings.databaseEngineVersion,
      instanceClass: settings.databaseInstanceClass,
      allocatedStorageGib: settings.databaseAllocatedStorageGib,
      port: settings.databasePort,
      databaseName: DATABASE_NAME,
      masterUsername: DATABASE_MASTER_USERNAME,
      multiAz: settings.databaseMultiAz,
      deletionProtection: settings.deletionProtection,
      logRetentionDays: settings.logRetentionDays,
    });
    this.apiTokenSecret = new ApiTokenSecret(this, 'api-token-secret', {
      name: names.apiTokenSecret,
      kmsKeyArn,
    });

    // ─── Logs: container output and the ECS Exec audit trail ───
    // The audit group exists even with ECS Exec off: the cluster's exec configuration always
    // points at it (CKV_AWS_223/224), so turning Exec on later can never open unaudited shells.
    this.logs = new ServiceLogs(this, 'logs', {
      logGroupName: names.logGroup,
      execLogGroupName: names.execLogGroup,
      retentionDays: settings.logRetentionDays,
      kmsKeyArn,
    });

    // ─── IAM: execution role, task role (and the blue/green and deploy roles) ───
    this.roles = new ServiceRoles(this, 'iam', {
      aws,
      executionRoleName: names.executionRole,
      taskRoleName: names.taskRole,
      repositoryArn: this.registry.arn,
      logGroupArn: this.logs.logGroup.arn,
      secretArns: [this.apiTokenSecret.secret.arn],
      migration: {
        executionRoleName: names.migrationExecutionRole,
        secretArns: [this.database.masterUserSecretArn, this.apiTokenSecret.secret.arn],
      },
      databaseConnect: { dbiResourceId: this.database.instance.resourceId, user: DB_SERVICE_USER },
      kmsKeyArn,
      enableExecuteCommand: settings.enableExecuteCommand,
      execLogGroupArn: this.logs.execLogGroup?.arn,
      blueGreen: settings.blueGreen,
      loadBalancerRoleName: names.loadBalancerRole,
      loadBalancerResources:
        this.loadBalancer.productionRule && this.loadBalancer.alternateTargetGroup
          ? {
              listenerRuleArns: [this.loadBalancer.productionRule.arn],
              targetGroupArns: [
                this.loadBalancer.targetGroup.arn,
                this.loadBalancer.alternateTargetGroup.arn,
              ],
            }
          : undefined,
    });
    // ─── Monitoring: alarms (five of them gate deployments), SNS topic, dashboard, saved queries ───
    this.monitoring = new Monitoring(this, 'monitoring', {
      region,
      topicName: names.alarmTopic,
      dashboardName: names.dashboard,
      alarmPrefix: names.service,
      alarmEmail: settings.alarmEmail,
      kmsKeyArn,
      loadBalancerArnSuffix: this.loadBalancer.alb.arnSuffix,
      targetGroupArnSuffix: this.loadBalancer.targetGroup.arnSuffix,
      alternateTargetGroupArnSuffix: this.loadBalancer.alternateTargetGroup?.arnSuffix,
      clusterName: names.cluster,
      serviceName: names.service,
      databaseIdentifier: names.database,
      metricsNamespace: names.metricsNamespace,
      logGroupName: this.logs.logGroup.name,
      savedQueryNames: names.savedQueries,
    });

    // ─── Service: cluster, task definition, migrations, service ───
    const database = this.database.instance;
    const healthCheck = containerHealthCheck({
      wiring: settings.healthCheckWiring,
      port: API_PORT,
    });
    const commonEnvironment = {
      NODE_ENV: 'production',
      PORT: String(API_PORT),
      APP_VERSION: settings.imageTag,
      DB_HOST: database.address,
      DB_PORT: String(settings.databasePort),
      DB_NAME: DATABASE_NAME,
      // rds.force_ssl=1 refuses plain connections; verify-full checks RDS's certificate too.
      DB_SSL: 'verify-full',
    } as const;
    const tokens = { API_TOKENS: this.apiTokenSecret.secret.arn };
    this.fargate = new FargateService(this, 'service', {
      region,
      clusterName: names.cluster,
      serviceName: names.service,
      taskFamily: names.taskFamily,
      containerName: names.container,
      image: `${this.registry.url}:${settings.imageTag}`,
      containerPort: API_PORT,
      cpu: settings.cpu,
      memory: settings.memory,
      executionRoleArn: this.roles.executionRole.arn,
      taskRoleArn: this.roles.taskRole.arn,
      healthCheck,
      logGroupName: this.logs.logGroup.name,
      logStreamPrefix: names.logStreamPrefix,
      environment: taskEnvironment({
        ...commonEnvironment,
        // The service's own role, with an IAM token per connection (nothing to go stale).
        DB_AUTH: 'iam',
        DB_USER: DB_SERVICE_USER,
        DB_REGION: region,
        // The API's own metrics, as EMF lines in this log group: no agent, no IAM permission.
        METRICS_EMF: 'true',
        METRICS_EMF_NAMESPACE: names.metricsNamespace,
      }),
      secrets: taskSecrets(tokens),
      migration: {
        family: names.migrationTaskFamily,
        executionRoleArn: required(this.roles.migrationExecutionRole, 'migration execution role')
          .arn,
        environment: taskEnvironment(commonEnvironment),
        // Only the migration task reads the master secret; RDS rotates it, and each run reads it anew.
        secrets: taskSecrets({
          ...tokens,
          DB_USER: `${this.database.masterUserSecretArn}:username::`,
          DB_PASSWORD: `${this.database.masterUserSecretArn}:password::`,
        }),
      },
      containerInsights: settings.containerInsights,
      enableExecuteCommand: settings.enableExecuteCommand,
      execLogGroupName: this.logs.execLogGroup?.name,
      kmsKeyArn,
      desiredCount: settings.desiredCount,
      subnetIds: this.network.privateSubnets.map((s) => s.id),
      securityGroupIds: [this.securityGroups.service.id],
      targetGroupArn: this.loadBalancer.targetGroup.arn,
      deploymentAlarmNames: this.monitoring.deploymentAlarms.map((a) => a.alarmName),
      blueGreen:
        this.loadBalancer.alternateTargetGroup &&
        this.loadBalancer.productionRule &&
        this.roles.loadBalancerRole
          ? {
              alternateTargetGroupArn: this.loadBalancer.alternateTargetGroup.arn,
              productionListenerRuleArn: this.loadBalancer.productionRule.arn,
              roleArn: this.roles.loadBalancerRole.arn,
            }
          : undefined,
      dependsOn: [
        // The target group must be attached to a listener before a service can register into it.
        ...new Set([this.loadBalancer.servingListener, this.loadBalancer.httpListener]),
        this.roles.executionPolicy,
        ...(this.roles.taskPolicy ? [this.roles.taskPolicy] : []),
      ],
    });
    if (settings.runMigrations) {
      this.migrations = new MigrationRun(this, 'migrations', {
        environment: settings.environment,
        region,
        taskDefinitionArn: required(
          this.fargate.migrationTaskDefinition,
          'migration task definition',
        ).arn,
        clusterName: this.fargate.cluster.name,
        dependsOn: [
          database,
          required(this.roles.migrationExecutionPolicy, 'migration execution policy'),
          ...this.network.privateDefaultRoutes,
        ],
      });
      // The run needs the task definition made inside FargateService, so the service's
      // `depends_on` gains it afterwards, as the `<type>.<name>` address Terraform expects.
      const run = this.migrations.run;
      this.fargate.service.dependsOn = [
        ...(this.fargate.service.dependsOn ?? []),
        `${run.terraformResourceType}.${run.friendlyUniqueId}`,
      ];
    }

    // ─── Autoscaling: CPU, memory and requests per target ───
    this.autoscaling = new ServiceAutoscaling(this, 'autoscaling', {
      clusterName: this.fargate.cluster.name,
      serviceName: this.fargate.service.name,
      minCount: settings.minCount,
      maxCount: settings.maxCount,
      requestCountResourceLabel: `${this.loadBalancer.alb.arnSuffix}/${this.loadBalancer.targetGroup.arnSuffix}`,
      blueGreenTargetGroups: this.loadBalancer.alternateTargetGroup
        ? {
            loadBalancerArnSuffix: this.loadBalancer.alb.arnSuffix,
            targetGroupArnSuffixes: [
              this.loadBalancer.targetGroup.arnSuffix,
              this.loadBalancer.alternateTargetGroup.arnSuffix,
            ],
          }
        : undefined,
    });

    // ─── Outputs (never a password: the database secret is referenced by ARN only) ───
    const output = (id: string, value: string, description: string) =>
      new TerraformOutput(this, id, { value, description });
    output('alb_dns_name', this.loadBalancer.alb.dnsName, 'DNS name of the ALB');
    output(
      SERVICE_URL_OUTPUT,
      this.loadBalancer.url,
      'Base URL of the API: what deploy verification, status and smoke probe',
    );
    output('cluster_name', this.fargate.cluster.name, 'ECS cluster');
    output('service_name', this.fargate.service.name, 'ECS service');
    output(
      TASK_DEFINITION_OUTPUT,
      this.fargate.taskDefinition.arn,
      'Task definition revision the service runs',
    );
    output('ecr_repository_url', this.registry.url, 'Push images here');
    output('log_group_name', this.logs.logGroup.name, 'Container logs');
    output(
      'database_endpoint',
      database.endpoint,
      'PostgreSQL host:port (credentials are in Secrets Manager)',
    );

    for (const aspect of invariantAspects()) Aspects.of(this).add(aspect);
    // Every role here carries the boundary the bootstrap made: the deploy role may create no other.
    Aspects.of(this).add(
      new PermissionsBoundaryAspect(
        `arn:${aws.partition}:iam::${aws.accountId}:policy/${names.permissionsBoundary}`,
      ),
    );
  }
}
