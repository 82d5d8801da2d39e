import { SERVICE_METRICS_NAMESPACE } from '@prod-e/api-config';

import { type SavedQueryId, savedQueryNames } from './saved-queries';

/** The project's name: the `Project` tag and the prefix of its own resource names. */
export const PROJECT = 'prod-e';

/** The environment that keeps the base names unchanged (`prod-e-cluster`, `ecs-task-role`, …). */
export const PRIMARY_ENVIRONMENT = 'prod';

/** Environment names: short, so every derived name stays inside AWS's length limits (32 for ALBs). */
export const ENVIRONMENT_NAME_PATTERN = /^[a-z][a-z0-9]{1,9}$/;

/** Every AWS name the system uses, for one environment. */
export interface ResourceNames {
  readonly environment: string;
  /** CDKTF stack id (`prod-e` for prod). */
  readonly stack: string;
  readonly vpc: string;
  readonly publicSubnets: readonly [string, string];
  readonly privateSubnets: readonly [string, string];
  readonly internetGateway: string;
  readonly natGateway: string;
  readonly flowLogGroup: string;
  readonly albSecurityGroup: string;
  readonly serviceSecurityGroup: string;
  readonly databaseSecurityGroup: string;
  readonly loadBalancer: string;
  /** The ALB's web ACL (regional WAF). */
  readonly webAcl: string;
  /** CloudFront mode: the distribution's web ACL (CLOUDFRONT scope, made in us-east-1). */
  readonly edgeWebAcl: string;
  /** CloudFront mode: the VPC origin that reaches the internal ALB. */
  readonly vpcOrigin: string;
  readonly targetGroup: string;
  readonly ecrRepository: string;
  readonly database: string;
  readonly databaseSubnetGroup: string;
  readonly databaseParameterGroup: string;
  readonly apiTokenSecret: string;
  readonly cluster: string;
  readonly taskFamily: string;
  readonly migrationTaskFamily: string;
  readonly container: string;
  readonly executionRole: string;
  /** The migration task's execution role: the only one that reads the database master secret. */
  readonly migrationExecutionRole: string;
  readonly taskRole: string;
  readonly deployRole: string;
  /** The role VPC flow logs deliver with. */
  readonly flowLogRole: string;
  /** The role RDS enhanced monitoring writes OS metrics with. */
  readonly databaseMonitoringRole: string;
  /** The role ECS assumes to shift blue/green traffic. */
  readonly loadBalancerRole: string;
  /** Where ECS Exec sessions are audited. */
  readonly execLogGroup: string;
  readonly logGroup: string;
  readonly logStreamPrefix: string;
  readonly service: string;
  readonly alarmTopic: string;
  readonly dashboard: string;
  readonly metricsNamespace: string;
  /** The saved Logs Insights queries, by id (`prod-e/errors-by-route`). */
  readonly savedQueries: Readonly<Record<SavedQueryId, string>>;
  /** The managed policy every IAM role of the service stack carries as its permissions boundary. */
  readonly permissionsBoundary: string;
}

/** The base names, which are the `prod` environment's; {@link qualifyName} derives the others. */
const BASE_NAMES = {
  vpc: 'main-vpc',
  publicSubnets: ['public-subnet-a', 'public-subnet-b'],
  privateSubnets: ['private-subnet-a', 'private-subnet-b'],
  internetGateway: 'main-igw',
  natGateway: 'main-nat',
  albSecurityGroup: 'alb-security-group',
  serviceSecurityGroup: 'ecs-security-group',
  databaseSecurityGroup: 'rds-security-group',
  loadBalancer: 'prod-e-alb',
  edge: 'prod-e-edge',
  vpcOrigin: 'prod-e-alb-origin',
  targetGroup: 'ecs-target-group-v2',
  ecrRepository: 'prod-e-backend',
  database: 'prod-e-db',
  databaseSubnetGroup: 'prod-e-db-subnets',
  databaseParameterGroup: 'prod-e-postgres',
  apiTokenSecret: 'prod-e/api-tokens',
  cluster: 'prod-e-cluster',
  taskFamily: 'prod-e-task',
  migrationTaskFamily: 'prod-e-migrate',
  container: 'prod-e-container',
  executionRole: 'ecs-task-execution-role',
  migrationExecutionRole: 'ecs-migration-execution-role',
  taskRole: 'ecs-task-role',
  deployRole: 'prod-e-deploy',
  loadBalancerRole: 'ecs-blue-green-role',
  service: 'prod-e-service',
  alarmTopic: 'prod-e-alarms',
  dashboard: 'prod-e',
  metricsNamespace: SERVICE_METRICS_NAMESPACE,
} as const;

/**
 * Derives one base name for an environment: `prod` keeps it; others insert the environment after
 * the project prefix (`prod-e-cluster` → `prod-e-staging-cluster`) or lead with it
 * (`ecs-task-role` → `staging-ecs-task-role`), so IAM's account-wide names never collide.
 */
export function qualifyName(baseName: string, environment: string): string {
  if (environment === PRIMARY_ENVIRONMENT) return baseName;
  if (baseName === PROJECT) return `${PROJECT}-${environment}`;
  if (baseName.startsWith(`${PROJECT}-`))
    return `${PROJECT}-${environment}-${baseName.slice(PROJECT.length + 1)}`;
  if (baseName.startsWith(`${PROJECT}/`))
    return `${PROJECT}/${environment}/${baseName.slice(PROJECT.length + 1)}`;
  return `${environment}-${baseName}`;
}

/** Every resource name for an environment: the one place names are made. */
export function resourceNames(environment: string = PRIMARY_ENVIRONMENT): ResourceNames {
  if (!ENVIRONMENT_NAME_PATTERN.test(environment)) {
    throw new Error(
      `Environment name "${environment}" must be 2-10 lowercase letters or digits, starting with a letter.`,
    );
  }
  const q = (name: string) => qualifyName(name, environment);
  const pair = (names: readonly [string, string]) => [q(names[0]), q(names[1])] as const;
  const taskFamily = q(BASE_NAMES.taskFamily);
  const stack = q(PROJECT);
  return {
    environment,
    stack,
    vpc: q(BASE_NAMES.vpc),
    publicSubnets: pair(BASE_NAMES.publicSubnets),
    privateSubnets: pair(BASE_NAMES.privateSubnets),
    internetGateway: q(BASE_NAMES.internetGateway),
    natGateway: q(BASE_NAMES.natGateway),
    flowLogGroup: `/vpc/${q(BASE_NAMES.vpc)}/flow-logs`,
    albSecurityGroup: q(BASE_NAMES.albSecurityGroup),
    serviceSecurityGroup: q(BASE_NAMES.serviceSecurityGroup),
    databaseSecurityGroup: q(BASE_NAMES.databaseSecurityGroup),
    loadBalancer: q(BASE_NAMES.loadBalancer),
    webAcl: q(BASE_NAMES.loadBalancer),
    edgeWebAcl: q(BASE_NAMES.edge),
    vpcOrigin: q(BASE_NAMES.vpcOrigin),
    targetGroup: q(BASE_NAMES.targetGroup),
    ecrRepository: q(BASE_NAMES.ecrRepository),
    database: q(BASE_NAMES.database),
    databaseSubnetGroup: q(BASE_NAMES.databaseSubnetGroup),
    databaseParameterGroup: q(BASE_NAMES.databaseParameterGroup),
    apiTokenSecret: q(BASE_NAMES.apiTokenSecret),
    cluster: q(BASE_NAMES.cluster),
    taskFamily,
    migrationTaskFamily: q(BASE_NAMES.migrationTaskFamily),
    container: q(BASE_NAMES.container),
    executionRole: q(BASE_NAMES.executionRole),
    migrationExecutionRole: q(BASE_NAMES.migrationExecutionRole),
    taskRole: q(BASE_NAMES.taskRole),
    deployRole: q(BASE_NAMES.deployRole),
    flowLogRole: `${q(BASE_NAMES.vpc)}-flow-logs`,
    databaseMonitoringRole: `${q(BASE_NAMES.database)}-monitoring`,
    loadBalancerRole: q(BASE_NAMES.loadBalancerRole),
    execLogGroup: `/ecs/${q(BASE_NAMES.cluster)}/exec`,
    logGroup: `/ecs/${taskFamily}`,
    logStreamPrefix: q(BASE_NAMES.container),
    service: q(BASE_NAMES.service),
    alarmTopic: q(BASE_NAMES.alarmTopic),
    dashboard: q(BASE_NAMES.dashboard),
    metricsNamespace:
      environment === PRIMARY_ENVIRONMENT
        ? BASE_NAMES.metricsNamespace
        : `${BASE_NAMES.metricsNamespace}/${environment}`,
    savedQueries: savedQueryNames(stack),
    permissionsBoundary: q(`${PROJECT}-boundary`),
  };
}

/** Names made once per account and region, shared by every environment there. */
export interface AccountResourceNames {
  /** CDKTF stack id of the account bootstrap (`prod-e-bootstrap-<account>-<region>`). */
  readonly bootstrapStack: string;
  /** Terraform state of every environment in the account and region (S3 names are global). */
  readonly stateBucket: string;
  /** The bootstrap's key for the image repositories. */
  readonly bootstrapKeyAlias: string;
}

/** The account- and region-wide names: the one place they are made. */
export function accountResourceNames(accountId: string, region: string): AccountResourceNames {
  if (!/^\d{12}$/.test(accountId)) {
    throw new Error(`Account id "${accountId}" must be 12 digits.`);
  }
  return {
    bootstrapStack: `${PROJECT}-bootstrap-${accountId}-${region}`,
    stateBucket: `${PROJECT}-terraform-state-${accountId}-${region}`,
    bootstrapKeyAlias: `${PROJECT}-bootstrap`,
  };
}

/** The service stack's output naming the task definition revision the service runs. */
export const TASK_DEFINITION_OUTPUT = 'task_definition_arn';

/** The service stack's output with the URL that answers /health (https in every prod TLS mode). */
export const SERVICE_URL_OUTPUT = 'service_url';

/** Tags every resource carries; `resources` in the ops CLI finds the stack by `Project`. */
export function resourceTags(
  environment: string = PRIMARY_ENVIRONMENT,
): Readonly<Record<string, string>> {
  return { Project: PROJECT, Environment: environment, ManagedBy: 'cdktf' };
}
